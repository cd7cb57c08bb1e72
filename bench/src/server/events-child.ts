/**
 * The event sender of the ingestion benchmark, in its own process: `concurrency` loops each
 * POST a fresh batch (new batchId) of `batchSize` events, one after the other, for
 * `seconds`. Prints one JSON line: accepted batches, 429s, failures, latencies (ms).
 */
import { randomUUID } from 'node:crypto';

interface Spec {
  url: string;
  key: string;
  concurrency: number;
  batchSize: number;
  seconds: number;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as Spec;

function batch(worker: number, n: number): string {
  const time = new Date().toISOString();
  const events: object[] = [];
  for (let i = 0; i < spec.batchSize; i++) {
    const contextKey = `user-${worker}-${(n * spec.batchSize + i) % 5000}`;
    events.push(
      i % 2 === 0
        ? {
            kind: 'exposure',
            time,
            flag: 'bench-000',
            variant: i % 4 === 0 ? 'on' : 'off',
            contextKey,
            reason: 'SPLIT',
            experiment: 'bench-exp',
          }
        : { kind: 'track', time, name: 'purchase', value: i, contextKey },
    );
  }
  return JSON.stringify({ batchId: randomUUID(), sdk: 'bench/1', events });
}

const latencies: number[] = [];
let accepted = 0;
let throttled = 0;
let failed = 0;
const end = Date.now() + spec.seconds * 1000;
const started = performance.now();

async function worker(w: number): Promise<void> {
  for (let n = 0; Date.now() < end; n++) {
    const body = batch(w, n);
    const t0 = performance.now();
    try {
      const response = await fetch(spec.url, {
        method: 'POST',
        headers: { authorization: `Bearer ${spec.key}`, 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      if (response.status === 202) {
        accepted++;
        latencies.push(performance.now() - t0);
      } else if (response.status === 429) {
        throttled++;
        const wait = Number(response.headers.get('retry-after') ?? '1');
        await new Promise((r) => setTimeout(r, wait * 1000));
      } else failed++;
    } catch {
      failed++;
    }
  }
}

await Promise.all(Array.from({ length: spec.concurrency }, (_, w) => worker(w)));
const elapsed = (performance.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ accepted, throttled, failed, elapsed, latencies })}\n`);
