import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EXPOSURE_RING_SIZE } from '../src/events/exposure-ring.js';
import { createClient, silentLogger, type VexilClient } from '../src/index.js';
import { runCrashingChild, runExposureChild } from './support/crash.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { until } from './support/wait.js';

// A process that accepted events and was killed loses none of them: the next process with the
// same key and journal directory sends them, each exactly once (batches keep their ids).

const dir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-crash-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clients: VexilClient[] = [];
const servers: ProtocolServer[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function recoveringClient(url: string, journal: string) {
  const c = createClient({
    url,
    sdkKey: 'vx_server_test',
    source: 'poll',
    logger: silentLogger,
    cache: false,
    retry: { initialDelay: 20, maxDelay: 50 },
    events: { persist: journal, flushInterval: 50 },
  });
  clients.push(c);
  return c;
}

let n = 0;
describe('crash-safe events (Node)', () => {
  it('recovers events accepted by a process that was killed while the server was down', async () => {
    const server = await new ProtocolServer(sampleFlags(1) as Record<string, unknown>).start();
    servers.push(server);
    const url = server.url;
    await server.stop(); // down while the child runs
    const journal = path.join(dir, String(++n));
    const child = await runCrashingChild({ url, journal, count: 120, batchSize: 50 });
    expect(child.signal).toBe('SIGKILL');
    expect(JSON.parse(child.stdout)).toMatchObject({ queued: 120, sent: 0 });

    const revived = await new ProtocolServer(sampleFlags(1) as Record<string, unknown>).start(
      Number(new URL(url).port),
    );
    servers.push(revived);
    const c = recoveringClient(url, journal);
    await until(
      () => revived.storedEvents().length >= 120 && c.eventStats().queued === 0,
      'recovered events',
    );
    const values = revived.storedEvents().map((e) => e.value);
    expect(values.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 120 }, (_, i) => i));
  });

  it('resends a batch whose answer was lost with the same id, so the server keeps one copy', async () => {
    const server = await new ProtocolServer(sampleFlags(1) as Record<string, unknown>).start();
    servers.push(server);
    server.loseEventAnswers = 1_000; // every batch is stored, every answer lost
    const journal = path.join(dir, String(++n));
    const child = await runCrashingChild({ url: server.url, journal, count: 30, batchSize: 10 });
    expect(child.signal).toBe('SIGKILL');
    const storedByChild = server.batches.size;
    expect(storedByChild).toBeGreaterThan(0);

    server.loseEventAnswers = 0;
    const c = recoveringClient(server.url, journal);
    await until(() => c.eventStats().queued === 0 && c.eventStats().sent > 0, 'recovered batches');
    const stored = server.storedEvents();
    expect(stored).toHaveLength(30);
    expect(new Set(stored.map((e) => e.value)).size).toBe(30);
    const posted = server.seen('/api/v1/events').map((r) => JSON.parse(r.body).batchId as string);
    expect(new Set(posted).size).toBe(server.batches.size);
    await c.close();
    expect(
      readdirSync(path.join(journal, readdirSync(journal)[0]!)).filter((f) => f.includes('.batch.')),
    ).toEqual([]);
  });
});

// Exposures are accepted — journaled, crash-safe — when the ring is drained: by the drain
// timer (every second, or every flushInterval if shorter), when the ring fills, on flush(),
// eventStats() and close(), and at process exit. Exposures still in the ring when the
// process is killed are lost: that is the price of an evaluation that does no I/O.
describe('crash-safe exposures (Node)', () => {
  /** A server whose event route fails while the child runs (so nothing is sent), then works. */
  async function failingEvents() {
    const server = await new ProtocolServer(sampleFlags(1) as Record<string, unknown>).start();
    servers.push(server);
    server.override = (_req, p) => (p === '/api/v1/events' ? { status: 503 } : undefined);
    return server;
  }

  async function deliveredAfterRestart(server: ProtocolServer, journal: string, expected: number) {
    server.override = undefined;
    const c = recoveringClient(server.url, journal);
    await until(
      () => server.storedEvents().length >= expected && c.eventStats().queued === 0,
      'the recovered exposures',
    );
    return server.storedEvents().map((e) => e.contextKey as string);
  }

  const range = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

  it('delivers exposures drained before a SIGKILL; loses those recorded in the same run as the kill', async () => {
    const server = await failingEvents();
    const journal = path.join(dir, String(++n));
    const child = await runExposureChild({ url: server.url, journal, scenario: 'drained-then-kill' });
    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).toContain('a journaled');
    const keys = await deliveredAfterRestart(server, journal, 100);
    expect(keys.sort()).toEqual(range('a', 100).sort()); // each once; none of the b-… ones
  });

  it('journals a full ring on the spot, so a loop that never yields loses at most what followed', async () => {
    const server = await failingEvents();
    const journal = path.join(dir, String(++n));
    const child = await runExposureChild({ url: server.url, journal, scenario: 'full-ring-then-kill' });
    expect(child.signal).toBe('SIGKILL');
    const keys = await deliveredAfterRestart(server, journal, EXPOSURE_RING_SIZE);
    expect(keys.sort()).toEqual(range('c', EXPOSURE_RING_SIZE).sort());
  });

  it('journals the ring at process.exit(), and the next process delivers every exposure', async () => {
    const server = await failingEvents();
    const journal = path.join(dir, String(++n));
    const child = await runExposureChild({ url: server.url, journal, scenario: 'exit' });
    expect(child.code).toBe(0);
    const keys = await deliveredAfterRestart(server, journal, 100);
    expect(keys.sort()).toEqual(range('d', 100).sort());
  });
});
