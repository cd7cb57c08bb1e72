import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/http/create-server.js';
import { newTestServer, type TestServer } from '../helpers/server.js';
import { ROUTE_SAMPLES, seedProject } from './route-samples.js';

/** Calls a streaming route: reads the status (and the body of an error), then hangs up. */
async function streamCall(
  s: TestServer,
  method: string,
  url: string,
  headers: Record<string, string>,
): Promise<{ statusCode: number; body: string; json(): { error: { code: string } } }> {
  const response = await s.app.inject({
    method: method as 'GET',
    url,
    headers,
    payloadAsStream: true,
  });
  const stream = response.stream();
  let body = '';
  if (response.statusCode < 300) stream.destroy();
  else for await (const chunk of stream) body += String(chunk);
  return { statusCode: response.statusCode, body, json: () => JSON.parse(body) };
}

type Credential =
  | 'none'
  | 'wrong'
  | 'admin'
  | 'server'
  | 'client'
  | 'revoked'
  | 'expired'
  | 'server in X-API-Key'
  | 'server + client in X-API-Key';
const CREDENTIALS: readonly Credential[] = [
  'none',
  'wrong',
  'admin',
  'server',
  'client',
  'revoked',
  'expired',
  // OFREP's ApiKeyAuth: read on the routes that allow it (OFREP), ignored elsewhere.
  'server in X-API-Key',
  // Bearer a server key, X-API-Key a client key: two different keys, refused where both are read.
  'server + client in X-API-Key',
];

/** What each kind of caller gets on a route with this access level (admin: the sample's status). */
function expected(route: RouteEntry, given: Credential, success: number): number {
  if (route.access === 'public') return success;
  let credential = given;
  if (given === 'server in X-API-Key') credential = route.apiKeyHeader ? 'server' : 'none';
  if (given === 'server + client in X-API-Key') credential = route.apiKeyHeader ? 'wrong' : 'server';
  if (credential === 'none' || credential === 'wrong' || credential === 'revoked' || credential === 'expired')
    return 401;
  const allowed =
    route.access === 'any' ||
    (route.access === 'admin' && credential === 'admin') ||
    (route.access === 'sdk' && (credential === 'server' || credential === 'client'));
  return allowed ? success : 403;
}

describe('the auth matrix: every route × every kind of caller', () => {
  let s: TestServer;
  const keys = {} as Record<Credential, Record<string, string>>;
  beforeAll(async () => {
    s = await newTestServer();
    const v = s.vexil;
    const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
    const server = (await v.keys.create({ kind: 'server', project: 'shop', environment: 'production' }))
      .secret;
    const client = (await v.keys.create({ kind: 'client', project: 'shop', environment: 'production' }))
      .secret;
    const revoked = await v.keys.create({ kind: 'admin', name: 'revoked' });
    await v.keys.revoke(revoked.key.id);
    const rotated = await v.keys.create({ kind: 'admin', name: 'rotated' });
    await v.keys.rotate(rotated.key.id, { gracePeriodSeconds: 0 });
    keys.none = {};
    keys.wrong = bearer('vx_admin_thisKeyWasNeverIssuedByThisServer00');
    keys.admin = bearer(s.admin);
    keys.server = bearer(server);
    keys.client = bearer(client);
    keys.revoked = bearer(revoked.secret);
    keys.expired = bearer(rotated.secret);
    keys['server in X-API-Key'] = { 'x-api-key': server };
    keys['server + client in X-API-Key'] = { ...bearer(server), 'x-api-key': client };
  });
  afterAll(async () => {
    await s.dispose();
  });

  it('has a sample request for every route, and no sample for a route that is gone', () => {
    const routes = s.app.routeTable.map((r) => `${r.method} ${r.url}`);
    expect(routes.filter((r) => !(r in ROUTE_SAMPLES))).toEqual([]);
    expect(Object.keys(ROUTE_SAMPLES).filter((r) => !routes.includes(r))).toEqual([]);
  });

  it('reads X-API-Key on the OFREP evaluation routes and nowhere else', () => {
    expect(s.app.routeTable.filter((r) => r.apiKeyHeader).map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /ofrep/v1/evaluate/flags/:key',
      'POST /ofrep/v1/evaluate/flags',
    ]);
  });

  it('answers each caller on each route with the status its key allows', async () => {
    const results: string[] = [];
    const wanted: string[] = [];
    const shared = await seedProject(s.vexil, 'shared');
    let n = 0;
    for (const route of s.app.routeTable) {
      const sample = ROUTE_SAMPLES[`${route.method} ${route.url}`];
      if (sample === undefined) continue;
      for (const credential of CREDENTIALS) {
        // Each call that may get through has its own project, so destructive samples disturb nothing.
        const through = expected(route, credential, sample.status) === sample.status;
        const fixture = through ? await seedProject(s.vexil, `p${n++}`) : shared;
        const params = { ...fixture, ...sample.params };
        const url = route.url.replace(/:(\w+)/g, (_, name: string) => params[name] ?? `:${name}`);
        const target = sample.query === undefined ? url : `${url}?${sample.query}`;
        const response =
          sample.stream === true
            ? await streamCall(s, route.method, target, keys[credential])
            : await s.call(route.method as 'GET', target, {
                key: null,
                headers: keys[credential],
                ...(sample.body === undefined ? {} : { body: sample.body }),
              });
        results.push(`${route.method} ${route.url} ${credential} → ${response.statusCode}`);
        wanted.push(
          `${route.method} ${route.url} ${credential} → ${expected(route, credential, sample.status)}`,
        );
        if ((response.statusCode === 401 || response.statusCode === 403) && sample.noErrorBody === true) {
          expect(response.body).toBe('');
        } else if (response.statusCode === 401 || response.statusCode === 403) {
          expect(response.json().error.code).toBe(
            response.statusCode === 401 ? 'UNAUTHENTICATED' : 'FORBIDDEN',
          );
        }
      }
    }
    expect(results).toEqual(wanted);
    expect(results.length).toBe(s.app.routeTable.length * CREDENTIALS.length);
  }, 120_000);
});
