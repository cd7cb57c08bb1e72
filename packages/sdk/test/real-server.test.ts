import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, silentLogger, type VexilClient } from '../src/index.js';
import { runCrashingChild } from './support/crash.js';
import { type RealServer, startRealServer } from './support/real-server.js';
import { next, until } from './support/wait.js';

// The SDK against a real Vexil server (`vexil serve` in a child process, SQLite in a temp dir):
// keys and flags are made through the admin API, the server is killed with SIGKILL mid-stream.

const dbDir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-real-'));
const journalDir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-real-events-'));
let server: RealServer;
let serverKey = '';
let clientKey = '';
const clients: VexilClient[] = [];

const FLAG = '/api/v1/projects/default/flags';
const toggle = (flag: string, on: boolean) =>
  server.admin('POST', `${FLAG}/${flag}/environments/production/${on ? 'enable' : 'disable'}`);

beforeAll(async () => {
  server = await startRealServer({ dbDir });
  serverKey = (await server.admin<{ secret: string }>('POST', '/api/v1/keys', keyBody('server'))).secret;
  clientKey = (await server.admin<{ secret: string }>('POST', '/api/v1/keys', keyBody('client'))).secret;
  for (const key of ['rt-checkout', 'rt-banner']) {
    await server.admin('POST', FLAG, {
      key,
      type: 'boolean',
      clientVisible: key === 'rt-banner',
      environments: { production: { enabled: false, offVariant: 'off', defaultServe: { variant: 'on' } } },
    });
  }
}, 120_000);

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await server?.kill();
  rmSync(dbDir, { recursive: true, force: true });
  rmSync(journalDir, { recursive: true, force: true });
});

function keyBody(kind: 'server' | 'client') {
  return { kind, project: 'default', environment: 'production', name: `sdk test ${kind}` };
}

function client(options: Partial<ClientOptions> = {}) {
  const c = createClient({
    url: server.url,
    sdkKey: serverKey,
    logger: silentLogger,
    cache: false,
    retry: { initialDelay: 50, maxDelay: 500 },
    circuitBreaker: { failureThreshold: 1000 },
    events: { persist: journalDir, flushInterval: 100 },
    ...options,
  });
  clients.push(c);
  return c;
}

describe('against a real Vexil server', () => {
  it('sees an admin change through the stream', async () => {
    const c = client();
    await c.waitForReady({ timeout: 10_000 });
    expect(c.getBoolean('rt-checkout', true)).toBe(false);
    const update = next<{ keys: string[] }>((l) => c.on('update', l));
    await toggle('rt-checkout', true);
    expect((await update).keys).toContain('rt-checkout');
    expect(c.getBoolean('rt-checkout', false)).toBe(true);
    await toggle('rt-checkout', false);
  });

  it('polls the snapshot with ETag', async () => {
    const statuses: number[] = [];
    const c = client({
      source: 'poll',
      pollInterval: 100,
      fetch: async (input, init) => {
        const response = await fetch(input, init);
        if (String(input).includes('/sdk/snapshot')) statuses.push(response.status);
        return response;
      },
    });
    await c.waitForReady({ timeout: 10_000 });
    await until(() => statuses.includes(304), 'a 304');
    const update = next<{ keys: string[] }>((l) => c.on('update', l));
    await toggle('rt-banner', true);
    expect((await update).keys).toContain('rt-banner');
    await toggle('rt-banner', false);
  });

  it('gives a client key only client-visible flags', async () => {
    const c = client({ sdkKey: clientKey, events: false });
    await c.waitForReady({ timeout: 10_000 });
    expect(c.getDetails('rt-banner', true).errorCode).toBeUndefined();
    expect(c.getDetails('rt-checkout', true).errorCode).toBe('FLAG_NOT_FOUND');
  });

  it('stops with a clear error when the key is revoked, and uses the secondary key', async () => {
    const made = await server.admin<{ key: { id: string }; secret: string }>(
      'POST',
      '/api/v1/keys',
      keyBody('server'),
    );
    await server.admin('DELETE', `/api/v1/keys/${made.key.id}`);
    const refused = client({ sdkKey: made.secret, events: false });
    await expect(refused.waitForReady({ timeout: 10_000 })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    const rotated = client({ sdkKey: made.secret, secondarySdkKey: serverKey, events: false });
    await rotated.waitForReady({ timeout: 10_000 });
    expect(rotated.getDetails('rt-checkout', true).errorCode).toBeUndefined();
  });
});

/** What the server stored for a tracked event name (count, sum of values). */
async function tracked(name: string): Promise<{ count: number; sum: number }> {
  const { items } = await server.admin<{ items: Array<{ count: number; sum: number }> }>(
    'GET',
    `/api/v1/projects/default/events/tracked?environment=production&name=${encodeURIComponent(name)}`,
  );
  return { count: items.reduce((n, i) => n + i.count, 0), sum: items.reduce((n, i) => n + i.sum, 0) };
}

/** A client that only sends events (the flags come from a bootstrap; nothing else is asked of the server). */
function eventsClient() {
  return client({ source: 'poll', pollInterval: 3_600_000, bootstrap: { flags: {} } });
}

describe('events to a real server', () => {
  it('stores tracked events once', async () => {
    const c = eventsClient();
    for (let i = 1; i <= 4; i++) c.track('rt-purchase', { targetingKey: `buyer-${i}` }, i);
    await c.flush();
    expect(c.eventStats()).toMatchObject({ sent: 4, queued: 0, rejected: 0 });
    expect(await tracked('rt-purchase')).toEqual({ count: 4, sum: 10 });
  });

  it('delivers events accepted while the server was down exactly once when it is back', async () => {
    const c = eventsClient();
    const port = server.port;
    await server.kill();
    for (let i = 1; i <= 5; i++) c.track('rt-outage', { targetingKey: `buyer-${i}` }, i);
    await c.flush(); // the server is down: the events stay queued (and journaled)
    expect(c.eventStats().queued).toBe(5);
    server = await startRealServer({ dbDir, port, adminToken: server.adminToken });
    await until(() => c.eventStats().queued === 0, 'delivery after the restart', 30_000);
    expect(await tracked('rt-outage')).toEqual({ count: 5, sum: 15 });
  });

  it('delivers, exactly once, the events of a process killed before it could send them', async () => {
    const journal = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-real-crash-'));
    try {
      const child = await runCrashingChild({
        url: server.url,
        journal,
        count: 40,
        batchSize: 1000, // nothing is sent before the crash
        key: serverKey,
        name: 'rt-crash',
      });
      expect(child.signal).toBe('SIGKILL');
      expect(JSON.parse(child.stdout)).toMatchObject({ queued: 40, sent: 0 });
      const c = client({
        source: 'poll',
        pollInterval: 3_600_000,
        events: { persist: journal, flushInterval: 100 },
      });
      await until(() => c.eventStats().sent === 40, 'the recovered events');
      expect(await tracked('rt-crash')).toEqual({ count: 40, sum: (39 * 40) / 2 });
      await c.close();
    } finally {
      rmSync(journal, { recursive: true, force: true });
    }
  });
});

describe('a real server killed mid-stream', () => {
  it('keeps serving, reconnects when it is back, and catches up on a change made meanwhile', async () => {
    const c = client();
    await c.waitForReady({ timeout: 10_000 });
    const stale = next((l) => c.on('stale', l));
    const port = server.port;
    await server.kill();
    await stale;
    expect(c.getBoolean('rt-checkout', true)).toBe(false); // still the last values

    // A change made while this client can't see the server: another instance on the same database.
    const other = await startRealServer({ dbDir, adminToken: server.adminToken });
    await other.admin('POST', `${FLAG}/rt-checkout/environments/production/enable`);
    await other.kill();

    const recovered = next((l) => c.on('recovered', l));
    server = await startRealServer({ dbDir, port, adminToken: server.adminToken });
    await recovered;
    await until(() => c.getBoolean('rt-checkout', false), 'the change made during the outage');
    await toggle('rt-checkout', false);
  });
});
