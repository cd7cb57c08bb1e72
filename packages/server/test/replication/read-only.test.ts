import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type TestServer } from '../helpers/server.js';
import { ROUTE_SAMPLES, seedProject } from '../http/route-samples.js';

// A read-only replica (`--read-only`) serves SDKs, OFREP, events and health, and refuses the
// whole admin API with 403 READ_ONLY, even with an admin key.

/** Every route a read-only server still answers; a new one must be added here on purpose. */
const SERVED = [
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /api/v1/keys/self',
  'POST /api/v1/events',
  'GET /api/v1/sdk/snapshot',
  'GET /api/v1/sdk/stream',
  'GET /api/v1/sdk/signing-keys',
  'POST /ofrep/v1/evaluate/flags/:key',
  'POST /ofrep/v1/evaluate/flags',
  'GET /ofrep/v1/events',
];

describe('a read-only server', () => {
  let s: TestServer;
  let serverKey = '';
  let params: Record<string, string> = {};
  beforeAll(async () => {
    s = await newTestServer({ readOnly: true });
    params = await seedProject(s.vexil, 'ro');
    serverKey = (await s.vexil.keys.create({ kind: 'server', project: 'ro', environment: 'production' }))
      .secret;
  });
  afterAll(async () => {
    await s.dispose();
  });

  it('keeps only the SDK, OFREP, events and health routes', () => {
    const open = s.app.routeTable.filter((r) => r.access !== 'admin').map((r) => `${r.method} ${r.url}`);
    expect(open.sort()).toEqual([...SERVED].sort());
  });

  it('refuses every admin route with 403 READ_ONLY and changes nothing', async () => {
    const before = (await s.vexil.audit.list({ limit: 1000 })).total;
    const admin = s.app.routeTable.filter((r) => r.access === 'admin');
    expect(admin.length).toBeGreaterThan(50);
    for (const route of admin) {
      const sample = ROUTE_SAMPLES[`${route.method} ${route.url}`];
      const url = route.url.replace(
        /:(\w+)/g,
        (_, name: string) => sample?.params?.[name] ?? params[name] ?? name,
      );
      const response = await s.call(
        route.method as 'GET',
        sample?.query === undefined ? url : `${url}?${sample.query}`,
        {
          ...(sample?.body === undefined ? {} : { body: sample.body }),
        },
      );
      expect([route.method, route.url, response.statusCode, response.json().error?.code]).toEqual([
        route.method,
        route.url,
        403,
        'READ_ONLY',
      ]);
    }
    expect((await s.vexil.audit.list({ limit: 1000 })).total).toBe(before);
  });

  it('serves snapshots and takes events', async () => {
    const snapshot = await s.call('GET', '/api/v1/sdk/snapshot', { key: serverKey });
    expect(snapshot.statusCode).toBe(200);
    expect(snapshot.json().flags).toHaveProperty('f');
    const events = await s.call('POST', '/api/v1/events', {
      key: serverKey,
      body: { batchId: 'ro-1', events: [{ kind: 'track', time: '2026-11-25T10:00:00Z', name: 'seen' }] },
    });
    expect(events.statusCode).toBe(202);
    expect((await s.call('GET', '/readyz', { key: null })).statusCode).toBe(200);
  });
});
