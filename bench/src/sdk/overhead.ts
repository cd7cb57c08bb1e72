import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FlagSet } from '@vexil/core';
import { blackhole } from '../core/measure.js';
import { singleFlagSet } from '../core/scenarios.js';
import { median } from '../stats.js';
import { type Kind, SCENARIOS, type Timing, type WorkerRequest } from './overhead-protocol.js';

export { CHUNK } from './overhead-protocol.js';

const WORKER = fileURLToPath(new URL('./overhead-worker.ts', import.meta.url));
const KINDS: readonly Kind[] = ['core', 'off', 'on', 'tight'];
/**
 * Processes per configuration, taking the samples in turn. The engine decides what to
 * inline once per process, and some processes come out a few nanoseconds faster than
 * others; the median over several is what an application restarted now and then sees.
 */
export const PROCESSES = 3;

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

/**
 * `getBoolean` against `evaluate` from @vexil/core on the same flags and contexts, in CPU
 * time, samples interleaved. Each configuration runs in processes of its own (see
 * `overhead-worker.ts`), one at a time: the parent asks each in turn for a sample. The
 * loops run in chunks of `CHUNK` evaluations; between chunks the default client's
 * exposure ring is drained (by `eventStats()`, as its timer would) and that drain is timed
 * apart. The same chunked loop, with an empty step between chunks, times the core and the
 * client without exposures, so the three are measured alike. The `tight` loop is the
 * default client with no pause at all: there the drains happen inside `getBoolean` when
 * the ring fills.
 */
export async function measureOverhead(samples: number, sampleMs: number): Promise<OverheadRow[]> {
  const sink = await startSink(singleFlagSet());
  const journal = mkdtempSync(path.join(tmpdir(), 'vexil-bench-sdk-'));
  // processes[p] holds process p of every configuration; sample s is taken from processes[s mod PROCESSES].
  const processes: Array<Array<{ kind: Kind; worker: Worker }>> = [];
  try {
    for (let p = 0; p < PROCESSES; p++) {
      const started = await Promise.allSettled(
        KINDS.map((kind) => startWorker(kind, sink.url, path.join(journal, `${kind}-${p}`))),
      );
      processes.push(
        started.flatMap((s, k) => (s.status === 'fulfilled' ? [{ kind: KINDS[k]!, worker: s.value }] : [])),
      );
      if (processes[p]!.length < KINDS.length) throw new Error('a benchmark process did not start');
    }
    const rows: OverheadRow[] = [];
    for (const [scenario, name] of SCENARIOS.entries()) {
      const n = new Map<Worker, number>();
      for (const { worker } of processes.flat())
        n.set(worker, (await worker.ask({ cmd: 'calibrate', scenario, sampleMs })) as number);
      const times: Record<Kind | 'drain' | 'pause', number[]> = {
        core: [],
        off: [],
        on: [],
        tight: [],
        drain: [],
        pause: [],
      };
      for (let s = 0; s < samples; s++) {
        for (const { kind, worker } of processes[s % PROCESSES]!) {
          const timing = (await worker.ask({
            cmd: 'run',
            scenario,
            from: s * 7919,
            n: n.get(worker)!,
          })) as Timing;
          blackhole.sink += timing.hits;
          times[kind].push(timing.evaluateNs);
          if (kind === 'on') times.drain.push(timing.betweenNs);
          if (kind === 'core') times.pause.push(timing.betweenNs);
        }
      }
      rows.push({
        scenario: name,
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
    await Promise.all(processes.flat().map(({ worker }) => worker.close()));
    await sink.close();
    rmSync(journal, { recursive: true, force: true });
  }
}

interface Worker {
  ask(request: WorkerRequest): Promise<unknown>;
  close(): Promise<void>;
}

/** Forks a configuration's process (with this one's flags: tsx, conditions, --expose-gc) and waits until it is ready. */
async function startWorker(kind: Kind, url: string, journal: string): Promise<Worker> {
  const child: ChildProcess = fork(WORKER, [kind, url, journal], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let pending: { resolve: (value: unknown) => void; reject: (error: Error) => void } | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message) => {
    const waiting = pending;
    pending = undefined;
    waiting?.resolve(message);
  });
  child.once('exit', (code) =>
    pending?.reject(new Error(`the ${kind} benchmark process exited with code ${code}`)),
  );
  const next = () => new Promise<unknown>((resolve, reject) => (pending = { resolve, reject }));
  await next(); // 'ready'
  return {
    ask(request) {
      const answer = next();
      child.send(request);
      return answer;
    },
    async close() {
      if (child.exitCode === null && child.connected) child.send({ cmd: 'close' } satisfies WorkerRequest);
      const timer = setTimeout(() => child.kill(), 10_000);
      await exited;
      clearTimeout(timer);
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
