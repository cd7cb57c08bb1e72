import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { BenchSection } from '../section.js';
import { quantile, textTable } from '../stats.js';
import { buildServer } from './build-server.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

const CHILD = fileURLToPath(new URL('./events-child.ts', import.meta.url));
const BATCH = 100;
const SECONDS = Number(process.env.VEXIL_BENCH_EVENT_SECONDS ?? 10);
const DATABASE = process.env.VEXIL_BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** One ingestion run: how many senders, and what they got. */
export interface IngestionResult {
  readonly store: 'sqlite' | 'postgres';
  readonly concurrency: number;
  readonly eventsPerSecond: number;
  readonly batchesPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly throttled: number;
  readonly failed: number;
}

interface ChildResult {
  accepted: number;
  throttled: number;
  failed: number;
  elapsed: number;
  latencies: number[];
}

function send(url: string, key: string, concurrency: number, seconds: number): Promise<ChildResult> {
  const spec = JSON.stringify({ url, key, concurrency, batchSize: BATCH, seconds });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, spec], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').pop()!) as ChildResult)
        : reject(new Error(`sender exited with ${code}`)),
    );
  });
}

async function serverKey(server: ServerProcess): Promise<string> {
  const made = await server.admin<{ secret: string }>('POST', '/api/v1/keys', {
    kind: 'server',
    project: 'default',
    environment: 'production',
    name: 'bench events',
  });
  return made.secret;
}

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: DATABASE, connectionTimeoutMillis: 2000 });
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
 * Event ingestion throughput: a separate process posts batches of 100 events (half
 * exposures, half tracked events, each batch with a new id) to `POST /api/v1/events`, each
 * answered 202 only once durably committed (SQLite `synchronous=FULL`; PostgreSQL's
 * default `synchronous_commit=on`). One sender in series shows the cost of one commit per
 * request; 16 concurrent senders show group commit sharing a transaction among requests.
 */
export async function measureEventIngestion(cli: string): Promise<IngestionResult[]> {
  const results: IngestionResult[] = [];
  const stores: ('sqlite' | 'postgres')[] = (await postgresReachable()) ? ['sqlite', 'postgres'] : ['sqlite'];
  for (const store of stores) {
    const schema = `vexil_bench_events_${process.pid}`;
    const db = store === 'postgres' ? `${DATABASE}?schema=${schema}` : undefined;
    const server = await startServerProcess({
      cli,
      ...(db === undefined ? {} : { db, env: { VEXIL_MIGRATE: 'true' } }),
    });
    try {
      const key = await serverKey(server);
      const url = `${server.url}/api/v1/events`;
      await send(url, key, 8, 2); // warm-up
      for (const concurrency of [1, 16]) {
        console.log(`  events, ${store}, ${concurrency} sender${concurrency > 1 ? 's' : ''}…`);
        const r = await send(url, key, concurrency, SECONDS);
        results.push({
          store,
          concurrency,
          eventsPerSecond: (r.accepted * BATCH) / r.elapsed,
          batchesPerSecond: r.accepted / r.elapsed,
          p50: quantile(r.latencies, 0.5),
          p99: quantile(r.latencies, 0.99),
          throttled: r.throttled,
          failed: r.failed,
        });
      }
    } finally {
      await server.stop();
      if (store === 'postgres') {
        const client = new pg.Client({ connectionString: DATABASE });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
    }
  }
  return results;
}

/** Table rows for the server section. */
export function ingestionRows(results: readonly IngestionResult[]): string[][] {
  const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : '—');
  return results.map((r) => [
    `(g) events, batches of ${BATCH}, ${r.store}, ${r.concurrency} sender${r.concurrency > 1 ? 's' : ''}`,
    `${Math.round(r.eventsPerSecond).toLocaleString('en-US')} ev/s`,
    ms(r.p50),
    ms(r.p99),
    '—',
    r.throttled + r.failed > 0 ? `${r.throttled} × 429, ${r.failed} failed` : '',
    '',
  ]);
}

/** `npm run bench -- events`: event ingestion throughput with durable commits. */
export const eventsSection: BenchSection = {
  name: 'events',
  description: 'event ingestion: POST /api/v1/events, batches of 100, acknowledged after a durable commit',
  async run() {
    console.log('building the server (tsup, as the package ships)…');
    const build = await buildServer();
    try {
      const results = await measureEventIngestion(build.cli);
      console.log('');
      console.log(textTable([['', 'accepted', 'p50', 'p99', '', 'refused', ''], ...ingestionRows(results)]));
      console.log('');
      console.log(
        `Server: the built CLI, logs at warn, SQLite (synchronous=FULL) and PostgreSQL (when ${DATABASE} answers). ` +
          `Senders: one separate process, each sender posting its next batch when the last one was answered, ` +
          `${SECONDS} s after a 2 s warm-up. Every 202 means the batch is committed to disk.`,
      );
      if (results.some((r) => r.failed > 0)) process.exitCode = 1;
    } finally {
      build.remove();
    }
  },
};
