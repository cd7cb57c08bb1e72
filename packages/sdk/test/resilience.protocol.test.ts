import { afterEach, describe, expect, it } from 'vitest';
import {
  type ClientOptions,
  createClient,
  silentLogger,
  type VexilClient,
  type VexilError,
} from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { until } from './support/wait.js';

// Protocol tests: client behaviour a real server can't easily be made to show (refused keys,
// 429 with Retry-After, 5xx storms). The real-server tests are in real-server.test.ts.

const clients: VexilClient[] = [];
const servers: ProtocolServer[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function fixture() {
  const server = await new ProtocolServer(sampleFlags(1) as Record<string, unknown>).start();
  servers.push(server);
  return server;
}

function client(server: ProtocolServer, options: Partial<ClientOptions> = {}) {
  const c = createClient({
    url: server.url,
    sdkKey: 'vx_server_test',
    logger: silentLogger,
    cache: false,
    events: false,
    retry: { initialDelay: 20, maxDelay: 50 },
    pollInterval: 60_000,
    ...options,
  });
  clients.push(c);
  return c;
}

describe('refused keys (protocol)', () => {
  it('switches to the secondary key when the primary is refused', async () => {
    const server = await fixture();
    server.keys.clear();
    server.keys.add('vx_server_new');
    const c = client(server, { sdkKey: 'vx_server_old', secondarySdkKey: 'vx_server_new' });
    await c.waitForReady({ timeout: 5000 });
    expect(c.getNumber('max-items', 0)).toBe(50);
    const auth = server.seen('/api/v1/sdk/stream').map((r) => r.headers.authorization);
    expect(auth).toEqual(['Bearer vx_server_old', 'Bearer vx_server_new']);
  });

  it('stops retrying and emits a clear error when every key is refused', async () => {
    const server = await fixture();
    server.keys.clear();
    const errors: VexilError[] = [];
    const c = client(server, { sdkKey: 'vx_server_gone', on: { error: (e) => errors.push(e) } });
    await expect(c.waitForReady({ timeout: 5000 })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(c.status).toBe('error');
    expect(errors[0]?.message).toMatch(/refused the SDK key with 401.*unknown or revoked/);
    const count = server.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300)); // many backoff periods
    expect(server.requests.length).toBe(count);
  });

  it('treats 403 like 401', async () => {
    const server = await fixture();
    server.override = () => ({ status: 403, body: 'client keys may not do that' });
    const c = client(server, { source: 'poll' });
    await expect(c.waitForReady({ timeout: 5000 })).rejects.toMatchObject({
      code: 'AUTH_FAILED',
      status: 403,
      message: expect.stringContaining('client keys may not do that'),
    });
  });
});

describe('429 and server errors (protocol)', () => {
  it('waits for Retry-After before asking again', async () => {
    const server = await fixture();
    let limited = 0;
    server.override = (_req, path) => {
      if (path !== '/api/v1/sdk/snapshot' || limited++ > 0) return undefined;
      return { status: 429, headers: { 'Retry-After': '1' } };
    };
    const c = client(server, { source: 'poll' });
    await c.waitForReady({ timeout: 5000 });
    const [first, second] = server.requests.map((r) => r.at);
    // The backoff alone would have retried after 10–20 ms; Retry-After asked for 1 s.
    expect(second! - first!).toBeGreaterThanOrEqual(990);
  });

  it('opens the circuit after repeated 5xx, stops hammering, then probes and recovers', async () => {
    const server = await fixture();
    let failing = true;
    server.override = () => (failing ? { status: 503 } : undefined);
    const c = client(server, { source: 'poll', circuitBreaker: { failureThreshold: 3, resetTimeout: 2000 } });
    await until(() => server.requests.length >= 3, 'three failures');
    await new Promise((resolve) => setTimeout(resolve, 200));
    // The backoff (10–50 ms) would have sent several more requests by now; the open circuit sent none.
    expect(server.requests.length).toBe(3);
    failing = false;
    await c.waitForReady({ timeout: 5000 });
    const times = server.requests.map((r) => r.at);
    expect(times[3]! - times[2]!).toBeGreaterThanOrEqual(1990);
    expect(c.getNumber('max-items', 0)).toBe(50);
  });

  it('serves bootstrap values while the server fails, as ready but stale', async () => {
    const server = await fixture();
    server.override = () => ({ status: 500 });
    const stale: unknown[] = [];
    const c = client(server, {
      source: 'poll',
      bootstrap: sampleFlags(1),
      on: { stale: (s) => stale.push(s) },
    });
    await c.waitForReady({ timeout: 5000 });
    expect(c.status).toBe('stale');
    expect(stale).toHaveLength(1);
    expect(c.getNumber('max-items', 0)).toBe(50);
  });
});
