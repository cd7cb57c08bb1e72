import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, silentLogger, type VexilClient } from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { until } from './support/wait.js';

// Protocol tests for the event pipeline against a fixture that stores batches by id.
// The real-server event tests are in real-server.test.ts.

const dir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-events-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
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

let n = 0;
function client(
  server: ProtocolServer,
  options: Partial<ClientOptions> = {},
  events: ClientOptions['events'] = {},
) {
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
  return c;
}

describe('exposures', () => {
  it('records one exposure per flag, variant and context key within the window', async () => {
    const server = await fixture();
    const c = client(server);
    await c.waitForReady({ timeout: 5000 });
    for (let i = 0; i < 50; i++) c.getBoolean('new-checkout', false, { targetingKey: 'user-1' });
    c.getBoolean('new-checkout', false, { targetingKey: 'user-beta' });
    c.getString('button-color', 'x', { targetingKey: 'user-1', country: 'NL' });
    c.getBoolean('new-checkout', false); // no context key: nothing an experiment could use
    await c.flush();
    const events = server.storedEvents();
    expect(events).toHaveLength(3);
    expect(events[0]).toMatchObject({
      kind: 'exposure',
      flag: 'new-checkout',
      variant: 'off',
      contextKey: 'user-1',
      reason: 'DEFAULT',
    });
    expect(events[1]).toMatchObject({ variant: 'on', contextKey: 'user-beta', ruleId: 'beta-users' });
    expect(events[2]).toMatchObject({ flag: 'button-color', variant: 'blue', ruleId: 'nl' });
    expect(JSON.stringify(events)).not.toContain('NL'); // attributes are never sent
  });

  it('records no exposures when they are turned off', async () => {
    const server = await fixture();
    const c = client(server, {}, { exposures: false });
    await c.waitForReady({ timeout: 5000 });
    c.getBoolean('new-checkout', false, { targetingKey: 'user-1' });
    c.track('purchase', { targetingKey: 'user-1' }, 10);
    await c.flush();
    expect(server.storedEvents().map((e) => e.kind)).toEqual(['track']);
  });
});

describe('track and batching', () => {
  it('sends tracked events with the context key and value, in batches with the sdk name', async () => {
    const server = await fixture();
    const c = client(server, {}, { batchSize: 2 });
    c.track('purchase', { targetingKey: 'user-42', plan: 'pro' }, 49.5);
    c.track('signup', { targetingKey: 'user-43' });
    c.track('logout');
    await c.flush();
    const posts = server.seen('/api/v1/events');
    expect(posts).toHaveLength(2);
    const stored = server.storedEvents();
    expect(stored[0]).toEqual({
      kind: 'track',
      time: expect.any(String),
      name: 'purchase',
      value: 49.5,
      contextKey: 'user-42',
    });
    expect(stored[2]).toEqual({ kind: 'track', time: expect.any(String), name: 'logout' });
  });

  it('sends a full batch without waiting for the interval', async () => {
    const server = await fixture();
    const c = client(server, {}, { batchSize: 5 });
    for (let i = 0; i < 5; i++) c.track('click', { targetingKey: `u${i}` });
    await until(() => server.storedEvents().length === 5, 'the full batch');
  });

  it('sends on the flush interval', async () => {
    const server = await fixture();
    const c = client(server, {}, { flushInterval: 50 });
    c.track('click', { targetingKey: 'u' });
    await until(() => server.storedEvents().length === 1, 'the interval flush');
  });

  it('retries a failed batch with the same batch id, so the server stores it once', async () => {
    const server = await fixture();
    // The first attempt is stored but its answer is lost (a 503 after storing, as a proxy might give).
    server.loseEventAnswers = 1;
    const c = client(server);
    c.track('purchase', { targetingKey: 'user-1' }, 1);
    await c.flush();
    await until(() => c.eventStats().sent === 1, 'the retried batch');
    const posts = server.seen('/api/v1/events').map((r) => JSON.parse(r.body).batchId);
    expect(posts).toHaveLength(2);
    expect(posts[0]).toBe(posts[1]);
    expect(server.storedEvents()).toHaveLength(1);
  });

  it('waits for Retry-After when the server is busy', async () => {
    const server = await fixture();
    let calls = 0;
    server.override = (_req, p) =>
      p === '/api/v1/events' && calls++ === 0 ? { status: 429, headers: { 'Retry-After': '1' } } : undefined;
    const c = client(server);
    c.track('purchase', { targetingKey: 'user-1' });
    await c.flush();
    await until(() => server.storedEvents().length === 1, 'the delivery after Retry-After');
    const [first, second] = server.seen('/api/v1/events').map((r) => r.at);
    expect(second! - first!).toBeGreaterThanOrEqual(990);
  });

  it('refuses event names the server would refuse, so one bad event cannot sink a batch', async () => {
    const server = await fixture();
    const errors: string[] = [];
    const c = client(server, { on: { error: (e) => errors.push(e.code) } });
    c.track('x'.repeat(201), { targetingKey: 'u' });
    c.track('', { targetingKey: 'u' });
    c.track('ok', { targetingKey: 'u' }, Number.NaN);
    c.track('fine', { targetingKey: 'u' });
    await c.flush();
    expect(errors).toEqual(['INVALID_OPTIONS', 'INVALID_OPTIONS', 'INVALID_OPTIONS']);
    expect(server.storedEvents().map((e) => e.name)).toEqual(['fine']);
  });

  it('bounds the queue and counts what it had to drop', async () => {
    const server = await fixture();
    server.override = () => ({ status: 503 });
    const c = client(server, {}, { maxQueueSize: 10, batchSize: 1000 });
    for (let i = 0; i < 25; i++) c.track('click', { targetingKey: `u${i}` });
    expect(c.eventStats()).toMatchObject({ queued: 10, dropped: 15, sent: 0 });
  });

  it('drops a batch the server refuses as invalid and reports it', async () => {
    const server = await fixture();
    server.override = (_req, p) =>
      p === '/api/v1/events' ? { status: 400, body: '{"message":"events[0].name: too long"}' } : undefined;
    const errors: string[] = [];
    const c = client(server, { on: { error: (e) => errors.push(e.message) } });
    c.track('x', { targetingKey: 'u' });
    await c.flush();
    expect(c.eventStats()).toMatchObject({ queued: 0, rejected: 1 });
    expect(errors[0]).toContain('events[0].name: too long');
  });

  it('splits a batch the server finds too large', async () => {
    const server = await fixture();
    server.override = (req, p) => {
      if (p !== '/api/v1/events') return undefined;
      return Number(req.headers['content-length']) > 400 ? { status: 413 } : undefined;
    };
    const c = client(server);
    for (let i = 0; i < 6; i++) c.track('click', { targetingKey: `user-${i}` });
    await c.flush();
    expect(server.storedEvents()).toHaveLength(6);
    expect(server.batches.size).toBeGreaterThan(1);
  });

  it('flushes queued events on close', async () => {
    const server = await fixture();
    const c = client(server);
    c.track('bye', { targetingKey: 'u' });
    await c.close();
    expect(server.storedEvents().map((e) => e.name)).toEqual(['bye']);
  });
});

describe('PII guard', () => {
  it('sends a one-way hash instead of a private context key', async () => {
    const server = await fixture();
    const c = client(server);
    c.track('purchase', { targetingKey: 'secret-user', privateAttributes: ['targetingKey'] });
    c.track('purchase', { targetingKey: 'public-user' });
    await c.flush();
    const keys = server.storedEvents().map((e) => e.contextKey as string);
    expect(keys[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(keys[1]).toBe('public-user');
    expect(JSON.stringify(server.storedEvents())).not.toContain('secret-user');
  });

  it('hashes the key for every context when targetingKey is private for the client', async () => {
    const server = await fixture();
    const c = client(server, { privateAttributes: ['targetingKey'] });
    c.track('purchase', { targetingKey: 'user-1' });
    await c.flush();
    expect(server.storedEvents()[0]?.contextKey).toMatch(/^sha256:/);
  });

  it('in strict mode, hashes keys that look like e-mail addresses or card numbers and drops such event names', async () => {
    const server = await fixture();
    const errors: string[] = [];
    const c = client(server, { strictPii: true, on: { error: (e) => errors.push(e.code) } });
    await c.waitForReady({ timeout: 5000 });
    c.track('purchase', { targetingKey: 'jane@example.com' });
    c.track('purchase', { targetingKey: '4111 1111 1111 1111' });
    c.track('bought-by-jane@example.com', { targetingKey: 'user-1' });
    c.getBoolean('new-checkout', false, { targetingKey: 'joe@example.org' });
    await c.flush();
    const stored = server.storedEvents();
    expect(stored).toHaveLength(3);
    expect(JSON.stringify(stored)).not.toMatch(/example\.(com|org)|4111/);
    expect(stored.every((e) => String(e.contextKey).startsWith('sha256:'))).toBe(true);
    expect(errors).toContain('PII_DETECTED');
  });

  it('outside strict mode, sends such keys as they are (and warns once)', async () => {
    const server = await fixture();
    const warnings: string[] = [];
    const logger = { ...silentLogger, warn: (m: string) => warnings.push(m) };
    const c = client(server, { logger });
    c.track('purchase', { targetingKey: 'jane@example.com' });
    c.track('purchase', { targetingKey: 'john@example.com' });
    await c.flush();
    expect(server.storedEvents()[0]?.contextKey).toBe('jane@example.com');
    expect(warnings.filter((w) => w.includes('personal data'))).toHaveLength(1);
  });
});
