import { performance } from 'node:perf_hooks';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { median } from '../stats.js';
import type { Loop } from './adapter.js';

/** Keeps loop results alive, so no engine can prove them unused. */
export const blackhole = { sink: 0 };

/** Runs a loop of `n` evaluations and returns nanoseconds per evaluation (awaiting async loops). */
export async function timeLoop(loop: Loop, from: number, n: number): Promise<number> {
  const start = performance.now();
  const result = loop(from, n);
  blackhole.sink += typeof result === 'number' ? result : await result;
  return ((performance.now() - start) * 1e6) / n;
}

/**
 * Warms a loop up and finds how many evaluations take about `targetMs`: doubles `n`
 * until a run takes at least a quarter of the target, then scales.
 */
export async function calibrate(loop: Loop, targetMs: number): Promise<number> {
  let n = 8;
  for (;;) {
    const ns = await timeLoop(loop, 0, n);
    const ms = (ns * n) / 1e6;
    if (ms >= targetMs / 4 || n >= 1 << 26)
      return Math.max(1, Math.round((n * targetMs) / Math.max(ms, 1e-3)));
    n *= 2;
  }
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
