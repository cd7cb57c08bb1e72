import { performance } from 'node:perf_hooks';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { median } from '../stats.js';
import type { Loop } from './adapter.js';

/** Keeps loop results alive, so no engine can prove them unused. */
export const blackhole = { sink: 0 };

/** Nanoseconds per evaluation of one run, by the wall clock and in CPU time. */
export interface Timing {
  readonly wallNs: number;
  /** The process's CPU time (user + system, all threads): what the run cost, whoever else shares the machine. */
  readonly cpuNs: number;
}

/** Runs a loop of `n` evaluations (awaiting async loops) and returns wall-clock nanoseconds per evaluation. */
export async function timeLoop(loop: Loop, from: number, n: number): Promise<number> {
  return (await timeRun(loop, from, n)).wallNs;
}

/** Runs a loop of `n` evaluations (awaiting async loops) and times it by the wall clock and in CPU time. */
export async function timeRun(loop: Loop, from: number, n: number): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  const result = loop(from, n);
  blackhole.sink += typeof result === 'number' ? result : await result;
  const wallNs = ((performance.now() - start) * 1e6) / n;
  const used = process.cpuUsage(cpu);
  return { wallNs, cpuNs: ((used.user + used.system) * 1e3) / n };
}

/**
 * Warms a loop up and finds how many evaluations take about `targetMs`. Runs it, doubling
 * `n`, until one run takes a quarter of the target and at least `warmMs` have passed (so
 * the JIT has settled), then sizes from the best of three runs at that `n`.
 */
export async function calibrate(loop: Loop, targetMs: number, warmMs = 250): Promise<number> {
  const warmUntil = performance.now() + warmMs;
  let n = 8;
  for (;;) {
    const ms = ((await timeLoop(loop, 0, n)) * n) / 1e6;
    if (ms < targetMs / 4 && n < 1 << 26) n *= 2;
    else if (performance.now() >= warmUntil) break;
  }
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) best = Math.min(best, await timeLoop(loop, r * n, n));
  return Math.max(1, Math.round((targetMs * 1e6) / best));
}

/**
 * Bytes allocated on the JS heap per evaluation. Node 20's heap statistics have no
 * running allocation counter, so: the growth of `used_heap_size` over `n` evaluations
 * plus what every GC in between freed (`v8.GCProfiler` reports each one's before and
 * after sizes), less what the measuring itself allocates, divided by `n`. Median of
 * `rounds` runs, each after a full GC when node runs with `--expose-gc`.
 */
export async function bytesPerEvaluation(loop: Loop, n: number, rounds = 5): Promise<number> {
  if (overhead === undefined) {
    const empty: number[] = [];
    for (let r = 0; r < rounds; r++) empty.push(await bytesAllocated(() => 0, 0, 1));
    overhead = median(empty);
  }
  const perEvaluation: number[] = [];
  for (let r = 0; r < rounds; r++)
    perEvaluation.push(((await bytesAllocated(loop, r * n, n)) - overhead) / n);
  return Math.max(0, median(perEvaluation));
}

/** What measuring an empty loop allocates (result objects of the heap statistics calls). */
let overhead: number | undefined;

async function bytesAllocated(loop: Loop, from: number, n: number): Promise<number> {
  (globalThis as { gc?: () => void }).gc?.();
  const profiler = new GCProfiler();
  profiler.start();
  const before = getHeapStatistics().used_heap_size;
  const result = loop(from, n);
  blackhole.sink += typeof result === 'number' ? result : await result;
  const after = getHeapStatistics().used_heap_size;
  let freed = 0;
  for (const s of profiler.stop()?.statistics ?? [])
    freed += s.beforeGC.heapStatistics.usedHeapSize - s.afterGC.heapStatistics.usedHeapSize;
  return after - before + freed;
}
