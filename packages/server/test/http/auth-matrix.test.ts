import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../../src/http/create-server.js';
import { newTestServer, type TestServer } from '../helpers/server.js';
import { ROUTE_SAMPLES, seedProject } from './route-samples.js';

/** Calls a streaming route: reads the status (and the body of an error), then hangs up. */
async function streamCall(
  s: TestServer,
  method: string,
  url: string,
  key: string | null,
): Promise<{ statusCode: number; body: string; json(): { error: { code: string } } }> {
  const response = await s.app.inject({
    method: method as 'GET',
    url,
    headers: key === null ? {} : { authorization: `Bearer ${key}` },
    payloadAsStream: true,
  });
  const stream = response.stream();
  let body = '';
  if (response.statusCode < 300) stream.destroy();
  else for await (const chunk of stream) body += String(chunk);
  return { statusCode: response.statusCode, body, json: () => JSON.parse(body) };
}

type Credential = 'none' | 'wrong' | 'admin' | 'server' | 'client' | 'revoked' | 'expired';
const CREDENTIALS: readonly Credential[] = [
  'none',
  'wrong',
  'admin',
  'server',
  'client',
  'revoked',
  'expired',
];

/** What each kind of caller gets on a route with this access level (admin: the sample's status). */
function expected(route: RouteEntry, credential: Credential, success: number): number {
  if (route.access === 'public') return success;
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
  const keys = {} as Record<Credential, string | null>;
  beforeAll(async () => {
    s = await newTestServer();
    const v = s.vexil;
    keys.none = null;
    keys.wrong = 'vx_admin_thisKeyWasNeverIssuedByThisServer00';
    keys.admin = s.admin;
    keys.server = (
      await v.keys.create({ kind: 'server', project: 'shop', environment: 'production' })
    ).secret;
    keys.client = (
      await v.keys.create({ kind: 'client', project: 'shop', environment: 'production' })
    ).secret;
    const revoked = await v.keys.create({ kind: 'admin', name: 'revoked' });
    await v.keys.revoke(revoked.key.id);
    keys.revoked = revoked.secret;
    const rotated = await v.keys.create({ kind: 'admin', name: 'rotated' });
    await v.keys.rotate(rotated.key.id, { gracePeriodSeconds: 0 });
    keys.expired = rotated.secret;
  });
  afterAll(async () => {
    await s.dispose();
  });

  it('has a sample request for every route, and no sample for a route that is gone', () => {
    const routes = s.app.routeTable.map((r) => `${r.method} ${r.url}`);
    expect(routes.filter((r) => !(r in ROUTE_SAMPLES))).toEqual([]);
    expect(Object.keys(ROUTE_SAMPLES).filter((r) => !routes.includes(r))).toEqual([]);
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
                key: keys[credential],
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
