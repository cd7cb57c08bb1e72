import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXPOSURE_RING_SIZE } from '../src/events/exposure-ring.js';
import { type ClientOptions, createClient, silentLogger, type VexilClient } from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { until } from './support/wait.js';

// Exposures through a whole client: evaluations append to the ring; drains (timer, flush,
// eventStats, close, a full ring) turn them into deduplicated events for the server.

const dir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-exposures-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clients: VexilClient[] = [];
const servers: ProtocolServer[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

let n = 0;
async function setup(events: ClientOptions['events'] = {}, options: Partial<ClientOptions> = {}) {
  const server = await new ProtocolServer(sampleFlags(1) as Record<string, unknown>).start();
  servers.push(server);
  const c = createClient({
    url: server.url,
    sdkKey: 'vx_server_test',
    source: 'poll',
    logger: silentLogger,
    cache: false,
    retry: { initialDelay: 20, maxDelay: 50 },
    events: { flushInterval: 60_000, persist: path.join(dir, String(++n)), ...(events as object) },
    ...options,
  });
  clients.push(c);
  await c.waitForReady({ timeout: 10_000 });
  return { server, c };
}

const exposureKeys = (server: ProtocolServer) =>
  server
    .storedEvents()
    .filter((e) => e.kind === 'exposure')
    .map((e) => e.contextKey as string);

const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe('exposures through the ring', () => {
  it('deduplicates across drains: a context seen again after a flush is not recorded again', async () => {
    const { server, c } = await setup();
    c.getBoolean('new-checkout', false, { targetingKey: 'u1' });
    await c.flush();
    c.getBoolean('new-checkout', false, { targetingKey: 'u1' });
    c.getBoolean('new-checkout', false, { targetingKey: 'u2' });
    c.forContext({ targetingKey: 'u1' }).getBoolean('new-checkout', false);
    await c.flush();
    expect(exposureKeys(server)).toEqual(['u1', 'u2']);
  });

  it('flush() sends every exposure recorded so far, across many ring fills, in order', async () => {
    const { server, c } = await setup({ maxQueueSize: 20_000, batchSize: 1000 });
    const keys = range('many', EXPOSURE_RING_SIZE * 2 + 123);
    for (const key of keys) c.getBoolean('new-checkout', false, { targetingKey: key });
    await c.flush();
    expect(exposureKeys(server)).toEqual(keys);
    expect(c.eventStats()).toMatchObject({ queued: 0, dropped: 0, sent: keys.length });
  });

  it('close() drains and sends what is still in the ring', async () => {
    const { server, c } = await setup();
    for (const key of range('bye', 30)) c.getString('button-color', 'x', { targetingKey: key });
    await c.close();
    expect(exposureKeys(server)).toEqual(range('bye', 30));
  });

  it('the drain timer sends exposures with no call from the application', async () => {
    const { server, c } = await setup({ flushInterval: 50 });
    c.getNumber('max-items', 0, { targetingKey: 'quiet' });
    await until(() => exposureKeys(server).length === 1, 'the exposure');
    expect(exposureKeys(server)).toEqual(['quiet']);
  });

  it('bounds the queue: exposures that do not fit are dropped and counted', async () => {
    const { server, c } = await setup({ maxQueueSize: 10, batchSize: 1000 });
    server.override = () => ({ status: 503 });
    for (const key of range('u', 25)) c.getBoolean('new-checkout', false, { targetingKey: key });
    expect(c.eventStats()).toMatchObject({ queued: 10, dropped: 15, sent: 0 });
    server.override = undefined;
    await c.flush();
    await until(() => c.eventStats().sent === 10, 'the ten queued exposures');
    expect(exposureKeys(server)).toEqual(range('u', 10));
  });

  it('never stamps an exposure after the evaluation, so a conversion tracked next counts for it', async () => {
    const { server, c } = await setup();
    c.getBoolean('new-checkout', false, { targetingKey: 'buyer' });
    const evaluatedBy = Date.now();
    c.track('purchase', { targetingKey: 'buyer' }, 10);
    await c.flush();
    const [exposure, purchase] = ['exposure', 'track'].map((kind) =>
      server.storedEvents().find((e) => e.kind === kind),
    );
    expect(Date.parse(String(exposure?.time))).toBeLessThanOrEqual(evaluatedBy);
    expect(String(exposure?.time) <= String(purchase?.time)).toBe(true);
  });

  it('sends a one-way hash for a key marked private, for exposures too', async () => {
    const { server, c } = await setup();
    c.getBoolean('new-checkout', false, { targetingKey: 'secret-user', privateAttributes: ['targetingKey'] });
    await c.flush();
    expect(exposureKeys(server)).toEqual([expect.stringMatching(/^sha256:[0-9a-f]{64}$/)]);
    expect(JSON.stringify(server.storedEvents())).not.toContain('secret-user');
  });

  it('records the key a reused context object had at the evaluation, hashed: it may have been private then', async () => {
    const { server, c } = await setup();
    const context: { targetingKey: string; privateAttributes?: string[] } = {
      targetingKey: 'first',
      privateAttributes: ['targetingKey'],
    };
    c.getBoolean('new-checkout', false, context);
    context.targetingKey = 'second';
    delete context.privateAttributes;
    c.getBoolean('new-checkout', false, context);
    await c.flush();
    const first = sha256('vexil-pii/first');
    expect(exposureKeys(server)).toEqual([`sha256:${first}`, 'second']);
  });
});

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
