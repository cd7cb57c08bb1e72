import { cpus } from 'node:os';
import { buildContexts } from '../core/contexts.js';
import type { BenchSection } from '../section.js';
import { quantile, textTable } from '../stats.js';
import { buildServer } from './build-server.js';
import { LOAD_GENERATOR, type LoadResult, type LoadSpec, runLoad } from './load.js';
import { measurePropagation, type PropagationResult } from './propagation.js';
import { measureReplicas } from './replicas.js';
import { measureRuntimeFloor, type RuntimeFloor } from './runtime-floor.js';
import { benchFlagKeys, SERVER_FLAG_COUNT, seedServer } from './seed.js';
import { type ServerProcess, startServerProcess } from './server-process.js';

const CONNECTIONS = 50;
/** What `--part` selects: the HTTP loads (a–c, and the RSS rows), propagation (d), replicas (e). */
const PARTS: readonly string[] = ['http', 'propagation', 'replicas'];
const SECONDS = Number(process.env.VEXIL_BENCH_SECONDS ?? 10);
const SUBSCRIBERS = 1000;
const WRITES = Number(process.env.VEXIL_BENCH_WRITES ?? 200);
const MB = 1024 * 1024;

/** A load run with the server's CPU time it took. */
interface Measured extends LoadResult {
  /** Server CPU seconds per request. */
  readonly cpuPerRequest: number;
}

/** Warms up, then runs the load and reads how much server CPU it cost. */
async function measure(server: ServerProcess, label: string, spec: LoadSpec): Promise<Measured> {
  console.log(`  ${label}…`);
  await runLoad({ ...spec, seconds: Math.min(3, spec.seconds) });
  const before = server.cpuSeconds();
  const result = await runLoad(spec);
  return { ...result, cpuPerRequest: (server.cpuSeconds() - before) / result.total };
}

/** Samples the server's RSS every 250 ms while `fn` runs; returns fn's result and the peak. */
async function withPeakRss<T>(
  servers: readonly ServerProcess[],
  fn: () => Promise<T>,
): Promise<{ result: T; peak: number }> {
  let peak = 0;
  const sample = () => {
    for (const s of servers) peak = Math.max(peak, s.rss());
  };
  sample();
  const timer = setInterval(sample, 250);
  try {
    return { result: await fn(), peak };
  } finally {
    clearInterval(timer);
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (v: number) => (Number.isFinite(v) ? `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms` : '—');
const perCore = (m: Measured) => (Number.isFinite(m.cpuPerRequest) ? `${int(1 / m.cpuPerRequest)}` : '—');
const mark = (ok: boolean) => (ok ? '✓' : '✗');

export const serverSection: BenchSection = {
  name: 'server',
  description: `HTTP serving with ${SERVER_FLAG_COUNT} flags: snapshot, OFREP, SSE propagation, memory (vs unleash-server 8.2)`,
  async run(options) {
    const unknown = options.parts.filter((p) => !PARTS.includes(p));
    if (unknown.length > 0) throw new Error(`unknown part ${unknown.join(', ')}; parts: ${PARTS.join(', ')}`);
    const parts = new Set(options.parts.length > 0 ? options.parts : PARTS);
    console.log('building the server (tsup, as the package ships)…');
    const build = await buildServer();
    // What Node and fastify alone hold when idle: the floor under the idle-RSS row.
    const floor: RuntimeFloor | undefined = parts.has('http') ? await measureRuntimeFloor() : undefined;
    const notes: string[] = [];
    const rows: string[][] = [];
    try {
      const server = await startServerProcess({ cli: build.cli });
      let idleRss = Number.NaN;
      let loads: Record<'full' | 'notModified' | 'bulk' | 'single', Measured> | undefined;
      let loadPeak = Number.NaN;
      let propagation: PropagationResult | undefined;
      let streamPeak = Number.NaN;
      let bodyBytes = 0;
      try {
        const { serverKey, clientKey } = await seedServer(server);
        await new Promise((r) => setTimeout(r, 2000)); // let the import's garbage go
        idleRss = server.rss();
        const snapshotUrl = `${server.url}/api/v1/sdk/snapshot`;
        const probe = await fetch(snapshotUrl, { headers: { authorization: `Bearer ${serverKey}` } });
        const etag = probe.headers.get('etag')!;
        bodyBytes = (await probe.arrayBuffer()).byteLength;
        const body = JSON.stringify({ context: buildContexts(1)[0] });
        const json = { 'content-type': 'application/json' };
        const base = { connections: CONNECTIONS, seconds: SECONDS };
        const run = !parts.has('http')
          ? undefined
          : await withPeakRss([server], async () => ({
              full: await measure(server, 'snapshot, full body', {
                ...base,
                url: snapshotUrl,
                headers: { authorization: `Bearer ${serverKey}` },
              }),
              notModified: await measure(server, 'snapshot, 304', {
                ...base,
                url: snapshotUrl,
                headers: { authorization: `Bearer ${serverKey}`, 'if-none-match': etag },
              }),
              bulk: await measure(server, `OFREP bulk (${SERVER_FLAG_COUNT} flags)`, {
                ...base,
                url: `${server.url}/ofrep/v1/evaluate/flags`,
                method: 'POST',
                headers: { authorization: `Bearer ${clientKey}`, ...json },
                body,
              }),
              single: await measure(server, 'OFREP single flag', {
                ...base,
                url: `${server.url}/ofrep/v1/evaluate/flags/${benchFlagKeys()[0]}`,
                method: 'POST',
                headers: { authorization: `Bearer ${serverKey}`, ...json },
                body,
              }),
            }));
        loads = run?.result;
        loadPeak = run?.peak ?? Number.NaN;
        for (const [name, r] of Object.entries(loads ?? {}))
          if (r.failed > 0) notes.push(`✗ ${name}: ${r.failed} failed requests`);
        if (parts.has('propagation'))
          console.log(`  propagation to ${SUBSCRIBERS} SSE subscribers, ${WRITES} writes…`);
        const streamed = !parts.has('propagation')
          ? undefined
          : await withPeakRss([server], () =>
              measurePropagation({
                writer: server,
                streamUrls: [server.url],
                serverKey,
                subscribers: SUBSCRIBERS,
                processes: 2,
                writes: WRITES,
                flag: benchFlagKeys()[0]!,
              }),
            );
        propagation = streamed?.result;
        streamPeak = streamed?.peak ?? Number.NaN;
      } finally {
        await server.stop();
      }
      if (parts.has('replicas')) console.log('  the same across two replicas through PostgreSQL…');
      const replicas = !parts.has('replicas')
        ? { result: undefined, note: undefined }
        : await measureReplicas({
            cli: build.cli,
            subscribers: SUBSCRIBERS,
            writes: WRITES,
            flag: benchFlagKeys()[0]!,
          });
      if (replicas.note !== undefined) notes.push(replicas.note);
      for (const [name, p] of [
        ['propagation', propagation],
        ['replicas', replicas.result],
      ] as const) {
        if (p !== undefined && p.gaps > 0)
          notes.push(`✗ ${name}: ${p.gaps} patches did not follow the version held`);
      }

      const http = (label: string, m: Measured, reference: string, target: string, ok: boolean) => [
        label,
        int(m.requestsPerSecond),
        ms(m.p50),
        ms(m.p99),
        `${(m.cpuPerRequest * 1e6).toFixed(0)} µs`,
        perCore(m),
        reference,
        target,
        mark(ok),
      ];
      rows.push(['', 'req/s', 'p50', 'p99', 'CPU/req', 'req/s/core', 'unleash-server 8.2', 'target', '']);
      if (loads !== undefined) {
        rows.push(
          http(
            `(a) snapshot, full body (${(bodyBytes / 1024).toFixed(0)} KB)`,
            loads.full,
            '≈ 250 (p99 250–300 ms)',
            '≥ 2,500',
            loads.full.requestsPerSecond >= 2500,
          ),
        );
        rows.push(
          http(
            '(a) snapshot, 304',
            loads.notModified,
            '≈ 2,800',
            '≥ 8,400',
            loads.notModified.requestsPerSecond >= 8400,
          ),
        );
        rows.push(
          http(
            `(b) OFREP bulk, ${SERVER_FLAG_COUNT} flags`,
            loads.bulk,
            '≈ 290 (/api/frontend)',
            '≥ 2,900',
            loads.bulk.requestsPerSecond >= 2900,
          ),
        );
        rows.push(
          http(
            '(c) OFREP single flag',
            loads.single,
            '—',
            '≥ 10,000, p99 ≤ 10 ms',
            loads.single.requestsPerSecond >= 10_000 && loads.single.p99 <= 10,
          ),
        );
      }
      const prop = (label: string, p: PropagationResult | undefined, target: number) => [
        label,
        p === undefined ? '—' : `${p.latencies.length} writes`,
        p === undefined ? '—' : ms(quantile(p.latencies, 0.5)),
        p === undefined ? '—' : ms(quantile(p.latencies, 0.99)),
        p === undefined ? '' : `${(p.serverCpuPerWrite * 1000).toFixed(1)} ms/write`,
        '',
        '—',
        `p99 ≤ ${target} ms`,
        p === undefined ? '' : mark(quantile(p.latencies, 0.99) <= target),
      ];
      if (parts.has('propagation'))
        rows.push(prop(`(d) write → ${SUBSCRIBERS} SSE subscribers applied`, propagation, 25));
      if (parts.has('replicas')) rows.push(prop('(e) same, 2 replicas via PostgreSQL', replicas.result, 50));
      /** A memory row: label, megabytes, then unleash-server's figure, the target and its mark. */
      const memory = (label: string, bytes: number, reference = '', target = '', ok = '') => [
        label,
        `${(bytes / MB).toFixed(0)} MB`,
        '',
        '',
        '',
        '',
        reference,
        target,
        ok,
      ];
      if (loads !== undefined) {
        rows.push(memory('(f) RSS idle', idleRss, '≈ 160 MB', '≤ 60 MB', mark(idleRss <= 60 * MB)));
        if (floor !== undefined) {
          const node = process.versions.node.split('.')[0];
          rows.push(memory(`    floor: Node ${node} alone, idle`, floor.bareNode));
          rows.push(memory('    floor: fastify 5 hello world, idle', floor.fastifyHello));
        }
        rows.push(memory('(f) RSS peak, HTTP load', loadPeak, '330–390 MB'));
      }
      if (propagation !== undefined) rows.push(memory(`(f) RSS peak, ${SUBSCRIBERS} streams`, streamPeak));
    } finally {
      build.remove();
    }
    console.log('');
    console.log(textTable(rows));
    console.log('');
    console.log(
      [
        `Server: the built CLI (tsup bundle, as published) on SQLite (WAL, synchronous=FULL), logs at warn.`,
        `Load: ${LOAD_GENERATOR} in a separate process, ${CONNECTIONS} connections, ${SECONDS} s after a 3 s warm-up.`,
        `CPU/req: the server's own CPU time (user + system) per request; req/s/core = what one dedicated core would serve.`,
        `Propagation: from sending the admin write to the last of ${SUBSCRIBERS} streams applying the patch (2 subscriber`,
        `processes parse and apply every patch, checking previousVersion); in (e) the write goes to replica A and half`,
        `the streams are on replica B.`,
        `This machine has ${cpus().length} cores, shared by the server, the load generator, the subscribers (and whatever`,
        `else runs): req/s and latencies are lower than on a dedicated server; CPU/req is the steadier figure.`,
        `unleash-server 8.2 figures (350 flags) are the issue's reference measurements, not run here.`,
        `RSS floors: a Node process with an empty timer, and a fastify 5 hello world after one request, each`,
        `idle 2 s like the server: what any server on this runtime and web framework holds before its own code.`,
      ].join('\n'),
    );
    for (const note of notes) console.log(note);
    if (notes.some((n) => n.startsWith('✗'))) process.exitCode = 1;
  },
};
