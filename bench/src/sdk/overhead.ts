import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type EvaluateOptions, evaluate, type FlagSet } from '@vexil/core';
import { type ClientOptions, createClient, silentLogger } from '@vexil/sdk';
import { buildContexts } from '../core/contexts.js';
import { blackhole, calibrate } from '../core/measure.js';
import { singleFlagSet } from '../core/scenarios.js';
import { S1_KEY, S2_KEY, S3_KEY } from '../core/spec.js';
import { median } from '../stats.js';

const BOOLEAN: EvaluateOptions<boolean> = { defaultValue: false };
const STRING: EvaluateOptions<string> = { defaultValue: '' };

/**
 * Evaluations between two drains in the chunked loops: half the SDK's exposure ring, where
 * a busy client schedules a drain for the next turn of the event loop — the chunks drain
 * as often as the client does under sustained load, no more (the drain's memory traffic
 * costs the evaluations after it some cache misses).
 */
export const CHUNK = 2048;

/** One row of the overhead table: CPU ns per evaluation, medians of interleaved samples. */
export interface OverheadRow {
  scenario: string;
  core: number;
  /** `getBoolean`, `events: { exposures: false }`. */
  off: number;
  /** `getBoolean` with the default options: the evaluation and its append to the exposure ring. */
  on: number;
  /** Draining the ring (dedup, events, journal), per evaluation: the work moved off `getBoolean`. */
  drain: number;
  /** The default client in one loop that never yields: its ring fills and is drained inside the loop. */
  tight: number;
}

/** `count` evaluations from pool context `j` on (cycling); returns how many were true. */
type Chunk = (j: number, count: number) => number;

/** Flags a request of the request row evaluates. */
const REQUEST_FLAGS = 3;

/**
 * The request row's chunks: per request a new context object (as a server builds one from
 * each request) evaluated for S1, S2 and S3 in a row — `evaluate` returns how many were true.
 * A chunk of `count` evaluations holds `count / 3` requests (rounded up).
 */
function requestChunks<C>(
  size: number,
  newContext: (j: number) => C,
  evaluations: Record<'core' | 'off' | 'on' | 'tight', (context: C) => number>,
): Record<'core' | 'off' | 'on' | 'tight', Chunk> {
  // One loop per caller, written out, so that no call site is shared between them.
  const { core, off, on, tight } = evaluations;
  return {
    core: (j, count) => {
      let hits = 0;
      for (let k = 0; k < count; k += REQUEST_FLAGS, j = j + 1 === size ? 0 : j + 1)
        hits += core(newContext(j));
      return hits;
    },
    off: (j, count) => {
      let hits = 0;
      for (let k = 0; k < count; k += REQUEST_FLAGS, j = j + 1 === size ? 0 : j + 1)
        hits += off(newContext(j));
      return hits;
    },
    on: (j, count) => {
      let hits = 0;
      for (let k = 0; k < count; k += REQUEST_FLAGS, j = j + 1 === size ? 0 : j + 1)
        hits += on(newContext(j));
      return hits;
    },
    tight: (j, count) => {
      let hits = 0;
      for (let k = 0; k < count; k += REQUEST_FLAGS, j = j + 1 === size ? 0 : j + 1)
        hits += tight(newContext(j));
      return hits;
    },
  };
}

/**
 * `getBoolean` against `evaluate` from @vexil/core on the same flags and contexts, in the
 * same process, samples interleaved, in CPU time. The loops run in chunks of `CHUNK`
 * evaluations; between chunks the default client's exposure ring is drained (by
 * `eventStats()`, as its timer would) and that drain is timed apart. The same chunked
 * loop, with an empty step between chunks, times the core and the client without
 * exposures, so the three are measured alike. The `tight` loop is the default client with
 * no pause at all: there the drains happen inside `getBoolean` when the ring fills.
 */
export async function measureOverhead(samples: number, sampleMs: number): Promise<OverheadRow[]> {
  const set = singleFlagSet();
  const contexts = buildContexts().map((c) => ({ ...c }));
  const size = contexts.length;
  const sink = await startSink(set);
  const journal = mkdtempSync(path.join(tmpdir(), 'vexil-bench-sdk-'));
  // The defaults, except for where the journal goes and the snapshot cache (unused by evaluation).
  const options: ClientOptions = {
    url: sink.url,
    sdkKey: 'vx_server_bench',
    source: 'poll',
    pollInterval: 3_600_000,
    cache: false,
    logger: silentLogger,
    events: { persist: journal },
  };
  const shipped = createClient(options);
  const tight = createClient(options);
  const noExposures = createClient({ ...options, events: { persist: journal, exposures: false } });
  await Promise.all([shipped.waitForReady(), tight.waitForReady(), noExposures.waitForReady()]);
  try {
    const rows: OverheadRow[] = [];
    const scenarios: [string, Record<'core' | 'off' | 'on' | 'tight', Chunk>][] = [];
    for (const [scenario, key] of [
      ['S1 (flag on)', S1_KEY],
      ['S3 (25 % rollout)', S3_KEY],
    ] as const) {
      // One function per measured call, so that no call site is shared (and made polymorphic) between them.
      const coreChunk: Chunk = (j, count) => {
        let hits = 0;
        for (let k = 0; k < count; k++, j = j + 1 === size ? 0 : j + 1)
          if (evaluate(set, key, contexts[j], BOOLEAN).value) hits++;
        return hits;
      };
      const offChunk: Chunk = (j, count) => {
        let hits = 0;
        for (let k = 0; k < count; k++, j = j + 1 === size ? 0 : j + 1)
          if (noExposures.getBoolean(key, false, contexts[j])) hits++;
        return hits;
      };
      const onChunk: Chunk = (j, count) => {
        let hits = 0;
        for (let k = 0; k < count; k++, j = j + 1 === size ? 0 : j + 1)
          if (shipped.getBoolean(key, false, contexts[j])) hits++;
        return hits;
      };
      const tightChunk: Chunk = (j, count) => {
        let hits = 0;
        for (let k = 0; k < count; k++, j = j + 1 === size ? 0 : j + 1)
          if (tight.getBoolean(key, false, contexts[j])) hits++;
        return hits;
      };
      scenarios.push([scenario, { core: coreChunk, off: offChunk, on: onChunk, tight: tightChunk }]);
    }
    scenarios.push([
      'S1 S2 S3 per request',
      requestChunks(size, (j) => ({ ...contexts[j]! }), {
        core: (c) =>
          +evaluate(set, S1_KEY, c, BOOLEAN).value! +
          +(evaluate(set, S2_KEY, c, STRING).value === 'a') +
          +evaluate(set, S3_KEY, c, BOOLEAN).value!,
        off: (c) =>
          +noExposures.getBoolean(S1_KEY, false, c) +
          +(noExposures.getString(S2_KEY, '', c) === 'a') +
          +noExposures.getBoolean(S3_KEY, false, c),
        on: (c) =>
          +shipped.getBoolean(S1_KEY, false, c) +
          +(shipped.getString(S2_KEY, '', c) === 'a') +
          +shipped.getBoolean(S3_KEY, false, c),
        tight: (c) =>
          +tight.getBoolean(S1_KEY, false, c) +
          +(tight.getString(S2_KEY, '', c) === 'a') +
          +tight.getBoolean(S3_KEY, false, c),
      }),
    ]);
    for (const [scenario, { core: coreChunk, off: offChunk, on: onChunk, tight: tightChunk }] of scenarios) {
      const loops = {
        core: chunked(coreChunk, size, () => {}),
        off: chunked(offChunk, size, () => {}),
        on: chunked(onChunk, size, () => void shipped.eventStats()),
        tight: tightLoop(tightChunk, size),
      };
      // Warm up (and record the first exposure of every context: after that, each is a duplicate).
      const n: Record<string, number> = {};
      for (const [name, loop] of Object.entries(loops)) {
        loop.run(0, size * REQUEST_FLAGS);
        n[name] =
          Math.ceil((await calibrate((from, count) => loop.run(from, count).hits, sampleMs)) / CHUNK) * CHUNK;
      }
      shipped.eventStats();
      tight.eventStats();
      const times: Record<keyof typeof loops | 'drain' | 'pause', number[]> = {
        core: [],
        off: [],
        on: [],
        tight: [],
        drain: [],
        pause: [],
      };
      for (let s = 0; s < samples; s++) {
        for (const [name, loop] of Object.entries(loops)) {
          const timing = loop.run(s * 7919, n[name]!);
          blackhole.sink += timing.hits;
          times[name as keyof typeof loops].push(timing.evaluateNs);
          if (name === 'on') times.drain.push(timing.betweenNs);
          if (name === 'core') times.pause.push(timing.betweenNs);
        }
      }
      rows.push({
        scenario,
        core: median(times.core),
        off: median(times.off),
        on: median(times.on),
        // What the empty step between chunks costs to measure is taken off the drain.
        drain: Math.max(0, median(times.drain) - median(times.pause)),
        tight: median(times.tight),
      });
    }
    return rows;
  } finally {
    await Promise.all([shipped.close(), tight.close(), noExposures.close()]);
    await sink.close();
    rmSync(journal, { recursive: true, force: true });
  }
}

interface Timing {
  hits: number;
  /** CPU ns per evaluation spent in the chunks. */
  evaluateNs: number;
  /** CPU ns per evaluation spent between them. */
  betweenNs: number;
}

/** A loop of `n` evaluations in chunks of `CHUNK`, with `between` run (and timed apart) after each chunk. */
function chunked(chunk: Chunk, size: number, between: () => void) {
  return {
    run(from: number, n: number): Timing {
      let hits = 0;
      let betweenUs = 0;
      const start = process.cpuUsage();
      for (let k = 0, j = from % size; k < n; k += CHUNK, j = (j + CHUNK) % size) {
        hits += chunk(j, Math.min(CHUNK, n - k));
        const before = process.cpuUsage();
        between();
        const used = process.cpuUsage(before);
        betweenUs += used.user + used.system;
      }
      const used = process.cpuUsage(start);
      const totalUs = used.user + used.system;
      return { hits, evaluateNs: ((totalUs - betweenUs) * 1e3) / n, betweenNs: (betweenUs * 1e3) / n };
    },
  };
}

/** A loop of `n` evaluations that never pauses. */
function tightLoop(chunk: Chunk, size: number) {
  return {
    run(from: number, n: number): Timing {
      const start = process.cpuUsage();
      const hits = chunk(from % size, n);
      const used = process.cpuUsage(start);
      return { hits, evaluateNs: ((used.user + used.system) * 1e3) / n, betweenNs: 0 };
    },
  };
}

/** A minimal local endpoint for the clients: the snapshot, and a 202 for event batches. */
async function startSink(set: FlagSet) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/api/v1/sdk/snapshot')) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(set.definition));
      } else {
        res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"accepted":0,"duplicate":false}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
