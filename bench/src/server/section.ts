import { buildContexts } from '../core/contexts.js';
import type { BenchSection } from '../section.js';
import { quantile, textTable } from '../stats.js';
import { buildServer } from './build-server.js';
import { type LoadResult, runLoad } from './load.js';
import { measurePropagation, type PropagationResult } from './propagation.js';
import { measureReplicas } from './replicas.js';
import { benchFlagKeys, SERVER_FLAG_COUNT, seedServer } from './seed.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.VEXIL_BENCH_SECONDS ?? 10);
const SUBSCRIBERS = 1000;
const WRITES = Number(process.env.VEXIL_BENCH_WRITES ?? 200);

/** Samples the server's RSS every 250 ms while `fn` runs; returns fn's result and the peak. */
async function withPeakRss<T>(
  server: ServerProcess,
  fn: () => Promise<T>,
): Promise<{ result: T; peak: number }> {
  let peak = server.rss();
  const timer = setInterval(() => {
    peak = Math.max(peak, server.rss());
  }, 250);
  try {
    return { result: await fn(), peak };
  } finally {
    clearInterval(timer);
  }
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const rps = (r: LoadResult) => `${Math.round(r.requestsPerSecond).toLocaleString('en-US')}`;
const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : '—');

export const serverSection: BenchSection = {
  name: 'server',
  description: `HTTP serving with ${SERVER_FLAG_COUNT} flags: snapshot, OFREP, SSE propagation, memory (vs unleash-server 8.2)`,
  async run() {
    console.log('building the server (tsup, as the package ships)…');
    const build = await buildServer();
    const server = await startServerProcess({ cli: build.cli });
    const rows: string[][] = [];
    const notes: string[] = [];
    try {
      const { serverKey, clientKey } = await seedServer(server);
      await new Promise((r) => setTimeout(r, 2000)); // let the import's garbage go
      const idleRss = server.rss();
      const snapshotUrl = `${server.url}/api/v1/sdk/snapshot`;
      const probe = await fetch(snapshotUrl, { headers: { authorization: `Bearer ${serverKey}` } });
      const etag = probe.headers.get('etag')!;
      const bodyBytes = (await probe.arrayBuffer()).byteLength;
      const context = JSON.stringify({ context: buildContexts(1)[0] });
      const [firstFlag] = benchFlagKeys();

      const load = async (label: string, spec: Parameters<typeof runLoad>[0]) => {
        console.log(`  ${label}…`);
        await runLoad({ ...spec, seconds: Math.min(3, SECONDS) }); // warm-up
        return runLoad(spec);
      };
      const { result: loads, peak } = await withPeakRss(server, async () => ({
        full: await load('snapshot, full body', {
          url: snapshotUrl,
          headers: { authorization: `Bearer ${serverKey}` },
          connections: CONNECTIONS,
          seconds: SECONDS,
        }),
        notModified: await load('snapshot, 304', {
          url: snapshotUrl,
          headers: { authorization: `Bearer ${serverKey}`, 'if-none-match': etag },
          connections: CONNECTIONS,
          seconds: SECONDS,
        }),
        bulk: await load('OFREP bulk', {
          url: `${server.url}/ofrep/v1/evaluate/flags`,
          method: 'POST',
          headers: { authorization: `Bearer ${clientKey}`, 'content-type': 'application/json' },
          body: context,
          connections: CONNECTIONS,
          seconds: SECONDS,
        }),
        single: await load('OFREP single flag', {
          url: `${server.url}/ofrep/v1/evaluate/flags/${firstFlag}`,
          method: 'POST',
          headers: { authorization: `Bearer ${serverKey}`, 'content-type': 'application/json' },
          body: context,
          connections: CONNECTIONS,
          seconds: SECONDS,
        }),
      }));
      for (const [name, r] of Object.entries(loads)) {
        if (r.failed > 0) notes.push(`✗ ${name}: ${r.failed} failed requests`);
        if (name === 'notModified' ? r.ok3xx === 0 : r.ok2xx === 0)
          notes.push(`✗ ${name}: no expected answers`);
      }

      console.log(`  propagation to ${SUBSCRIBERS} SSE subscribers, ${WRITES} writes…`);
      const { result: propagation, peak: streamPeak } = await withPeakRss(server, () =>
        measurePropagation({
          writer: server,
          streamUrls: [server.url],
          serverKey,
          subscribers: SUBSCRIBERS,
          processes: 2,
          writes: WRITES,
          flag: firstFlag!,
        }),
      );
      const replicas = await measureReplicas({ cli: build.cli, subscribers: SUBSCRIBERS, writes: WRITES });

      const target = (ok: boolean) => (ok ? '✓' : '✗');
      const prop = (p: PropagationResult | undefined) =>
        p === undefined ? ['—', '—'] : [ms(quantile(p.latencies, 0.5)), ms(quantile(p.latencies, 0.99))];
      rows.push(['', 'Vexil req/s', 'p50', 'p99', 'unleash-server 8.2 (reference)', 'target', '']);
      rows.push([
        `(a) snapshot, full body (${(bodyBytes / 1024).toFixed(0)} KB)`,
        rps(loads.full),
        ms(loads.full.p50),
        ms(loads.full.p99),
        '≈ 250 req/s, p99 250–300 ms',
        '≥ 2,500 req/s',
        target(loads.full.requestsPerSecond >= 2500),
      ]);
      rows.push([
        '(a) snapshot, 304 (If-None-Match)',
        rps(loads.notModified),
        ms(loads.notModified.p50),
        ms(loads.notModified.p99),
        '≈ 2,800 req/s',
        '≥ 8,400 req/s',
        target(loads.notModified.requestsPerSecond >= 8400),
      ]);
      rows.push([
        `(b) OFREP bulk, ${SERVER_FLAG_COUNT} flags, one context`,
        rps(loads.bulk),
        ms(loads.bulk.p50),
        ms(loads.bulk.p99),
        '/api/frontend ≈ 290 req/s',
        '≥ 2,900 req/s',
        target(loads.bulk.requestsPerSecond >= 2900),
      ]);
      rows.push([
        '(c) OFREP single flag',
        rps(loads.single),
        ms(loads.single.p50),
        ms(loads.single.p99),
        '—',
        '≥ 10,000 req/s, p99 ≤ 10 ms',
        target(loads.single.requestsPerSecond >= 10_000 && loads.single.p99 <= 10),
      ]);
      rows.push(['', 'writes', 'p50', 'p99', '', '', '']);
      rows.push([
        `(d) admin write → ${propagation.subscribers} SSE subscribers applied`,
        String(propagation.latencies.length),
        ...prop(propagation),
        '—',
        'p99 ≤ 25 ms',
        target(quantile(propagation.latencies, 0.99) <= 25),
      ]);
      rows.push([
        '(e) same, two replicas through PostgreSQL',
        replicas.result === undefined ? '—' : String(replicas.result.latencies.length),
        ...prop(replicas.result),
        '—',
        'p99 ≤ 50 ms',
        replicas.result === undefined ? '' : target(quantile(replicas.result.latencies, 0.99) <= 50),
      ]);
      rows.push(['', 'RSS', '', '', '', '', '']);
      rows.push([
        '(f) server RSS, idle',
        mb(idleRss),
        '',
        '',
        '≈ 160 MB',
        '≤ 60 MB',
        target(idleRss <= 60 * 1024 * 1024),
      ]);
      rows.push(['(f) server RSS, peak under HTTP load', mb(peak), '', '', '330–390 MB', '', '']);
      rows.push([`(f) server RSS, peak with ${SUBSCRIBERS} streams`, mb(streamPeak), '', '', '', '', '']);
      if (propagation.gaps > 0) notes.push(`✗ propagation: ${propagation.gaps} patches arrived out of order`);
      if (replicas.note !== undefined) notes.push(replicas.note);
    } finally {
      await server.stop();
      build.remove();
    }
    console.log('');
    console.log(textTable(rows));
    console.log('');
    console.log(
      `Server: the built CLI (tsup bundle) on SQLite, logs at warn. Load: autocannon in a separate process, ` +
        `${CONNECTIONS} connections, ${SECONDS} s after a 3 s warm-up. Subscribers: 2 separate processes ` +
        `parsing and applying every patch. This machine has ${(await import('node:os')).cpus().length} cores, ` +
        'shared by the server, the load generator and the subscribers: a dedicated server would do better. ' +
        'Unleash figures: unleash-server 8.2 with 350 flags, as measured for the issue (reference only, not run here).',
    );
    for (const note of notes) console.log(note);
    if (notes.some((n) => n.startsWith('✗'))) process.exitCode = 1;
  },
};
