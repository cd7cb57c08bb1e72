import { afterEach, describe, expect, it } from 'vitest';
import { createDelivery } from '../../src/delivery/delivery.js';
import { createServer } from '../../src/http/create-server.js';
import { bearer, type ListeningServer, listeningServer } from '../delivery/listening-server.js';
import { SseClient } from '../delivery/sse-client.js';
import { newTestVexil } from '../helpers/vexil.js';

/** The value of one sample line of the Prometheus text format. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (!Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) continue;
    return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return undefined;
}

describe('/metrics', () => {
  let s: ListeningServer | undefined;
  afterEach(async () => {
    await s?.dispose();
    s = undefined;
  });

  it('counts requests per route pattern, and reports streams, versions and propagation', async () => {
    s = await listeningServer('sqlite', {
      seed: async ({ vexil }) => {
        await vexil.flags.create('shop', 'banner', { type: 'boolean', enabled: true });
      },
    });
    for (let i = 0; i < 3; i++)
      await (await fetch(`${s.url}/api/v1/sdk/snapshot`, { headers: bearer(s.serverKey) })).text();
    const stream = await SseClient.open(`${s.url}/api/v1/sdk/stream`, bearer(s.serverKey));
    await stream.until((e) => e.length > 0);
    await s.adminCall('POST', '/api/v1/projects/shop/flags/banner/environments/production/disable');
    const version = (await s.vexil.environments.get('shop', 'production')).version;
    await stream.until((e) => e.some((x) => x.id === String(version)), 'the patch');

    const response = await fetch(`${s.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(
      sample(text, 'vexil_http_requests_total', {
        route: '/api/v1/sdk/snapshot',
        status: '200',
        method: 'GET',
      }),
    ).toBe(3);
    expect(
      sample(text, 'vexil_http_request_duration_seconds_count', {
        route: '/api/v1/sdk/snapshot',
        method: 'GET',
      }),
    ).toBe(3);
    expect(
      sample(text, 'vexil_http_requests_total', {
        route: '/api/v1/projects/:project/flags/:flag/environments/:environment/disable',
      }),
    ).toBe(1);
    expect(sample(text, 'vexil_sse_connections', { kind: 'sdk', scope: 'server' })).toBe(1);
    expect(sample(text, 'vexil_snapshot_version', { project: 'shop', environment: 'production' })).toBe(
      version,
    );
    expect(sample(text, 'vexil_propagation_seconds_count')).toBeGreaterThanOrEqual(1);
    expect(sample(text, 'vexil_snapshot_swaps_total')).toBeGreaterThanOrEqual(2);
    expect(sample(text, 'vexil_process_resident_memory_bytes')).toBeGreaterThan(0);
    stream.close();
  });
});

describe('/readyz', () => {
  it('answers 503 until the snapshots are loaded, then 200', async () => {
    const t = await newTestVexil('sqlite');
    const delivery = createDelivery({ vexil: t.vexil });
    const app = await createServer({ vexil: t.vexil, delivery });
    try {
      const before = await app.inject({ method: 'GET', url: '/readyz' });
      expect(before.statusCode).toBe(503);
      expect(before.json()).toEqual({ status: 'unavailable', error: 'snapshots are not loaded' });
      await delivery.start();
      const after = await app.inject({ method: 'GET', url: '/readyz' });
      expect(after.statusCode).toBe(200);
    } finally {
      await app.close();
      delivery.close();
      await t.dispose();
    }
  });
});
