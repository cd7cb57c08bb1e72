// One configuration of the overhead benchmark in a process of its own, forked by
// `overhead.ts` (why alone: see `Kind`). Answers the parent's requests over IPC.

import { type EvaluateOptions, evaluate } from '@vexil/core';
import { createClient, silentLogger, type VexilClient } from '@vexil/sdk';
import { buildContexts } from '../core/contexts.js';
import { calibrate } from '../core/measure.js';
import { singleFlagSet } from '../core/scenarios.js';
import { S1_KEY, S2_KEY, S3_KEY } from '../core/spec.js';
import { CHUNK, type Kind, type Timing, type WorkerRequest } from './overhead-protocol.js';

/** Flags a request of the request row evaluates. */
const REQUEST_FLAGS = 3;

const BOOLEAN: EvaluateOptions<boolean> = { defaultValue: false };
const STRING: EvaluateOptions<string> = { defaultValue: '' };

/** `count` evaluations from pool context `j` on (cycling); returns how many were true. */
type Chunk = (j: number, count: number) => number;

type Context = ReturnType<typeof buildContexts>[number];

/** How a configuration evaluates a flag for a context: the core's `evaluate`, or a client's getters. */
interface Evaluator {
  boolean(key: string, context: Context): boolean;
  string(key: string, context: Context): string;
}

/** The core, with the options an SDK passes. */
function coreEvaluator(): Evaluator {
  const set = singleFlagSet();
  return {
    boolean: (key, context) => evaluate(set, key, context, BOOLEAN).value === true,
    string: (key, context) => evaluate(set, key, context, STRING).value ?? '',
  };
}

/** A client: `getBoolean` and `getString`. */
function clientEvaluator(client: VexilClient): Evaluator {
  return {
    boolean: (key, context) => client.getBoolean(key, false, context),
    string: (key, context) => client.getString(key, '', context),
  };
}

/** The three scenarios' chunks: S1 and S3 over the pool, then S1, S2 and S3 per request. */
function chunksOf(evaluator: Evaluator, contexts: Context[]): Chunk[] {
  const size = contexts.length;
  const pool =
    (key: string): Chunk =>
    (j, count) => {
      let hits = 0;
      for (let k = 0; k < count; k++, j = j + 1 === size ? 0 : j + 1)
        if (evaluator.boolean(key, contexts[j]!)) hits++;
      return hits;
    };
  return [
    pool(S1_KEY),
    pool(S3_KEY),
    (j, count) => {
      let hits = 0;
      for (let k = 0; k < count; k += REQUEST_FLAGS, j = j + 1 === size ? 0 : j + 1) {
        // A new context object per request, as a server builds one from each request.
        const c = { ...contexts[j]! };
        hits +=
          +evaluator.boolean(S1_KEY, c) +
          +(evaluator.string(S2_KEY, c) === 'a') +
          +evaluator.boolean(S3_KEY, c);
      }
      return hits;
    },
  ];
}

/** A loop of `n` evaluations in chunks of `CHUNK`, with `between` run (and timed apart) after each chunk. */
function chunked(chunk: Chunk, size: number, between: () => void) {
  return (from: number, n: number): Timing => {
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
  };
}

/** A loop of `n` evaluations that never pauses. */
function tightLoop(chunk: Chunk, size: number) {
  return (from: number, n: number): Timing => {
    const start = process.cpuUsage();
    const hits = chunk(from % size, n);
    const used = process.cpuUsage(start);
    return { hits, evaluateNs: ((used.user + used.system) * 1e3) / n, betweenNs: 0 };
  };
}

async function main(): Promise<void> {
  const [kind, url, journal] = process.argv.slice(2) as [Kind, string, string];
  const contexts = buildContexts().map((c) => ({ ...c }));
  const size = contexts.length;
  // The defaults, except for where the journal goes and the snapshot cache (unused by evaluation).
  const client =
    kind === 'core'
      ? undefined
      : createClient({
          url,
          sdkKey: 'vx_server_bench',
          source: 'poll',
          pollInterval: 3_600_000,
          cache: false,
          logger: silentLogger,
          events: kind === 'off' ? { persist: journal, exposures: false } : { persist: journal },
        });
  await client?.waitForReady();
  // The pool is long-lived: let it reach the old generation, as such objects do in an application
  // (the per-request row makes new contexts, which stay young).
  for (let i = 0; i < 2; i++) (globalThis as { gc?: () => void }).gc?.();
  const chunks = chunksOf(client === undefined ? coreEvaluator() : clientEvaluator(client), contexts);
  const drain = kind === 'on' && client !== undefined ? () => void client.eventStats() : () => {};
  const loops = chunks.map((chunk) =>
    kind === 'tight' ? tightLoop(chunk, size) : chunked(chunk, size, drain),
  );
  const reply = (message: unknown) => process.send?.(message);
  process.on('message', (request: WorkerRequest) => {
    void (async () => {
      if (request.cmd === 'close') {
        await client?.close();
        process.disconnect();
        return;
      }
      const loop = loops[request.scenario]!;
      if (request.cmd === 'run') {
        reply(loop(request.from, request.n));
        return;
      }
      // Warm up (and record the first exposure of every context: after that, each is a duplicate).
      loop(0, size * REQUEST_FLAGS);
      const n = await calibrate((from, count) => loop(from, count).hits, request.sampleMs);
      client?.eventStats();
      reply(Math.ceil(n / CHUNK) * CHUNK);
    })().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  });
  reply('ready');
}

await main();
