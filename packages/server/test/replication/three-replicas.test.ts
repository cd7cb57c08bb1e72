import { afterEach, describe, expect, it } from 'vitest';
import { type Spawned, spawnServe } from '../cli/spawn.js';
import {
  dropSchema,
  postgresAvailable,
  TEST_DATABASE_URL,
  uniqueSchema,
  withPostgres,
} from '../helpers/postgres.js';
import { redisAvailable, TEST_REDIS_URL, uniquePrefix } from './redis.js';
import { type SseSubscription, subscribe } from './sse-client.js';

// Three real `vexil serve` processes on loopback share one PostgreSQL schema: A takes the
// writes, B and C are read-only replicas. A change made through A's admin API reaches SSE
// subscribers of B and C as a patch with the new version.

const pg = await postgresAvailable();
const redis = pg && (await redisAvailable());
const TOKEN = 'three-replicas-admin-token-0123456789';

const running: Spawned[] = [];
const subscriptions: SseSubscription[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const s of subscriptions.splice(0)) s.close();
  for (const p of running.splice(0)) {
    p.signal('SIGTERM');
    await p.exited;
  }
  for (const c of cleanups.splice(0)) await c();
});

interface Replica {
  readonly url: string;
  readonly process: Spawned;
}

async function serve(db: string, extra: string[]): Promise<Replica> {
  const child = spawnServe(['--port', '0', '--host', '127.0.0.1', '--db', db, ...extra], {
    VEXIL_ADMIN_TOKEN: TOKEN,
  });
  running.push(child);
  const ready = await child.waitForLog('vexil ready', 90_000);
  return { url: ready.url as string, process: child };
}

async function admin<T>(replica: Replica, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${replica.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** A (writable, migrates), then B and C (read-only) on one fresh schema; a server key and a flag. */
async function cluster(extra: string[], bName = 'replica_b') {
  const schema = uniqueSchema('vexil_three');
  cleanups.push(() => dropSchema(schema));
  const db = `${TEST_DATABASE_URL}?schema=${schema}`;
  const a = await serve(db, ['--migrate', ...extra]);
  const [b, c] = await Promise.all([
    serve(`${db}&application_name=${bName}`, ['--read-only', ...extra]),
    serve(db, ['--read-only', ...extra]),
  ]);
  const { secret } = await admin<{ secret: string }>(a, 'POST', '/api/v1/keys', {
    kind: 'server',
    project: 'default',
    environment: 'production',
  });
  await admin(a, 'POST', '/api/v1/projects/default/flags', { key: 'checkout', type: 'boolean' });
  return { a, b, c, key: secret };
}

async function environmentVersion(a: Replica): Promise<number> {
  return (await admin<{ version: number }>(a, 'GET', '/api/v1/projects/default/environments/production'))
    .version;
}

/** Subscribes to a replica's stream and waits for its first snapshot. */
async function stream(replica: Replica, key: string): Promise<SseSubscription> {
  const s = await subscribe(`${replica.url}/api/v1/sdk/stream`, key);
  subscriptions.push(s);
  await s.next((e) => e.event === 'snapshot', 'the first snapshot');
  return s;
}

/** Makes a change on A; both subscribers get a patch with the new version that carries the flag. */
async function changeReachesBoth(
  a: Replica,
  subscribers: SseSubscription[],
  enable: boolean,
): Promise<number> {
  await admin(
    a,
    'POST',
    `/api/v1/projects/default/flags/checkout/environments/production/${enable ? 'enable' : 'disable'}`,
  );
  const version = await environmentVersion(a);
  for (const s of subscribers) {
    const patch = await s.next(
      (e) => e.event === 'patch' && Number(e.id) === version,
      `the patch to version ${version}`,
    );
    const body = JSON.parse(patch.data) as { version: number; flags: Record<string, { enabled?: boolean }> };
    expect(body.version).toBe(version);
    expect(body.flags.checkout?.enabled ?? false).toBe(enable);
  }
  return version;
}

describe.skipIf(!pg)('three vexil serve processes on one PostgreSQL', () => {
  it('delivers a change made on one to the SSE subscribers of the two others (LISTEN/NOTIFY)', async () => {
    const { a, b, c, key } = await cluster([]);
    const subscribers = [await stream(b, key), await stream(c, key)];
    await changeReachesBoth(a, subscribers, true);
    await changeReachesBoth(a, subscribers, false);

    // B is read-only: no admin API, but events and health.
    const refused = await fetch(`${b.url}/api/v1/projects`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('READ_ONLY');
    const accepted = await fetch(`${b.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batchId: 'from-b',
        events: [{ kind: 'track', time: new Date().toISOString(), name: 'seen' }],
      }),
    });
    expect(accepted.status).toBe(202);
    expect((await fetch(`${b.url}/readyz`)).status).toBe(200);

    // Kill B's LISTEN connection: B reconnects, catches up from the database, and keeps delivering.
    const killed = await withPostgres((client) =>
      client.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE application_name = 'replica_b' AND query LIKE 'LISTEN%'`,
      ),
    );
    expect(killed.rowCount).toBe(1);
    await changeReachesBoth(a, subscribers, true);
    await b.process.waitForLog('PostgreSQL change listener reconnected; catching up');
    await changeReachesBoth(a, subscribers, false);
  }, 180_000);

  it.skipIf(!redis)(
    'delivers the same way over the Redis change bus',
    async () => {
      const { a, b, c, key } = await cluster(['--redis', TEST_REDIS_URL, '--redis-prefix', uniquePrefix()]);
      const subscribers = [await stream(b, key), await stream(c, key)];
      await changeReachesBoth(a, subscribers, true);
      await changeReachesBoth(a, subscribers, false);
      // Nothing went over PostgreSQL: no replica listens there.
      const listeners = await withPostgres((client) =>
        client.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND application_name = 'replica_b'`,
        ),
      );
      expect(listeners.rows[0].n).toBe(0);
    },
    180_000,
  );
});
