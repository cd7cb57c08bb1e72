import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../src/stores/index.js';
import { type Spawned, spawnServe } from '../cli/spawn.js';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';

// `vexil serve` in a child process takes event batches from several concurrent senders and is
// killed with SIGKILL mid-stream. Every batch it acknowledged (202) must be in the database,
// whole; a batch it did not acknowledge is either whole or absent, never partly stored.

const TOKEN = 'crash-test-admin-token-0123456789';
const EVENTS_PER_BATCH = 100;
const pg = await postgresAvailable();

const running: Spawned[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) {
    p.signal('SIGKILL');
    await p.exited;
  }
  for (const c of cleanups.splice(0)) await c();
});

function serve(db: string, extra: string[] = []): Spawned {
  const child = spawnServe(['--port', '0', '--host', '127.0.0.1', '--db', db, ...extra], {
    VEXIL_ADMIN_TOKEN: TOKEN,
  });
  running.push(child);
  return child;
}

async function killMidStream(
  db: string,
  extra: string[] = [],
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<{ acked: Set<string>; sent: number; server: Spawned; exitCode: number | null }> {
  const server = serve(db, extra);
  const { url } = (await server.waitForLog('vexil ready')) as { url: string };
  const made = await fetch(`${url}/api/v1/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'server', project: 'default', environment: 'production' }),
  });
  const { secret } = (await made.json()) as { secret: string };
  const acked = new Set<string>();
  let sent = 0;
  let inFlight = 0;
  let killed = false;
  // Stops the server once 30 batches are acknowledged, at a moment some are still in flight.
  const killer = setInterval(() => {
    if (killed || acked.size < 30 || inFlight === 0) return;
    killed = true;
    server.signal(signal);
  }, 1);
  const sender = async (worker: number) => {
    for (let i = 0; !killed; i++) {
      const batchId = `crash-${worker}-${i}`;
      const events = Array.from({ length: EVENTS_PER_BATCH }, (_, n) => ({
        kind: 'track',
        time: new Date().toISOString(),
        name: batchId,
        value: n,
        contextKey: `user-${n}`,
      }));
      sent++;
      inFlight++;
      try {
        const response = await fetch(`${url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          body: JSON.stringify({ batchId, events }),
        });
        if (response.status === 202) acked.add(batchId);
      } catch {
        return; // the server is gone
      } finally {
        inFlight--;
      }
    }
  };
  await Promise.all([0, 1, 2, 3, 4, 5].map(sender));
  clearInterval(killer);
  const exitCode = await server.exited;
  return { acked, sent, server, exitCode };
}

async function checkStored(db: string, acked: Set<string>): Promise<void> {
  const store = await openStore({ db, migrate: false });
  try {
    const counts = await store.countTrackedEvents({ project: 'default' });
    const byName = new Map<string, number>();
    for (const row of counts) byName.set(row.name, (byName.get(row.name) ?? 0) + row.count);
    for (const batchId of acked) expect(byName.get(batchId), batchId).toBe(EVENTS_PER_BATCH);
    for (const [name, count] of byName) expect(count, name).toBe(EVENTS_PER_BATCH);
    expect(byName.size).toBeGreaterThanOrEqual(acked.size);
  } finally {
    await store.close();
  }
}

describe('accepted events survive a crash', () => {
  it('keeps every acknowledged batch whole in SQLite after SIGKILL', async () => {
    const dir = tempDir('vexil-crash-');
    cleanups.push(() => dir.remove());
    const db = join(dir.path, 'vexil.db');
    const { acked, sent } = await killMidStream(db);
    expect(acked.size).toBeGreaterThanOrEqual(30);
    expect(sent).toBeGreaterThan(acked.size);
    await checkStored(db, acked);
  }, 120_000);

  it('writes out the batches in flight on SIGTERM before it exits', async () => {
    const dir = tempDir('vexil-sigterm-');
    cleanups.push(() => dir.remove());
    const db = join(dir.path, 'vexil.db');
    const { acked, server, exitCode } = await killMidStream(db, [], 'SIGTERM');
    expect(exitCode, `the server's last log lines:\n${server.stdout().slice(-1500)}`).toBe(0);
    expect(server.stdout()).toContain('"msg":"vexil stopped"');
    await checkStored(db, acked);
  }, 120_000);

  it.skipIf(!pg)(
    'keeps every acknowledged batch whole in PostgreSQL after SIGKILL',
    async () => {
      const schema = uniqueSchema('vexil_crash');
      cleanups.push(() => dropSchema(schema));
      const db = `${TEST_DATABASE_URL}?schema=${schema}`;
      const { acked } = await killMidStream(db, ['--migrate']);
      expect(acked.size).toBeGreaterThanOrEqual(30);
      await checkStored(db, acked);
    },
    120_000,
  );
});
