import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { measurePropagation, type PropagationResult } from './propagation.js';
import { seedServer } from './seed.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

const DATABASE = process.env.VEXIL_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * (e) Two replicas on one PostgreSQL schema (changes travel by LISTEN/NOTIFY): the write goes
 * to replica A; half the subscribers stream from A, half from B. Timed until every one of
 * them applied the change.
 */
export async function measureReplicas(options: {
  cli: string;
  subscribers: number;
  writes: number;
  flag: string;
}): Promise<{ result: PropagationResult | undefined; note: string | undefined }> {
  if (!(await postgresReachable())) {
    return { result: undefined, note: `(e) not measured: PostgreSQL is not reachable at ${DATABASE}` };
  }
  const schema = `vexil_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(DATABASE);
  url.searchParams.set('schema', schema);
  const servers: ServerProcess[] = [];
  try {
    const a = await startServerProcess({
      cli: options.cli,
      db: url.toString(),
      env: { VEXIL_MIGRATE: 'true' },
    });
    servers.push(a);
    const { serverKey } = await seedServer(a);
    const b = await startServerProcess({ cli: options.cli, db: url.toString(), adminToken: a.adminToken });
    servers.push(b);
    const result = await measurePropagation({
      writer: a,
      servers: [a, b],
      streamUrls: [a.url, b.url],
      serverKey,
      subscribers: options.subscribers,
      processes: 2,
      writes: options.writes,
      flag: options.flag,
    });
    return { result, note: undefined };
  } finally {
    for (const s of servers) await s.stop();
    const client = new pg.Client({ connectionString: DATABASE });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
  }
}
