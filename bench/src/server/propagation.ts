import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processCpuSeconds } from './proc.js';
import type { ServerProcess } from './server-process.js';

const CHILD = fileURLToPath(new URL('./subscribers-child.ts', import.meta.url));

interface Message {
  type: 'ready' | 'applied' | 'error';
  version?: number;
  at?: string;
  message?: string;
  gaps?: number;
}

/** A process holding SSE subscribers. */
class Subscribers {
  private readonly child: ChildProcess;
  private readonly listeners = new Set<(m: Message) => void>();
  private buffer = '';

  constructor(url: string, key: string, count: number) {
    this.child = spawn(process.execPath, ['--import', 'tsx', CHILD, url, key, String(count)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.child.stdout!.on('data', (chunk: Buffer) => {
      this.buffer += chunk.toString();
      let nl = this.buffer.indexOf('\n');
      while (nl >= 0) {
        const line = this.buffer.slice(0, nl);
        this.buffer = this.buffer.slice(nl + 1);
        nl = this.buffer.indexOf('\n');
        const message = JSON.parse(line) as Message;
        for (const l of this.listeners) l(message);
      }
    });
  }

  next(predicate: (m: Message) => boolean, timeoutMs: number, what: string): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(listener);
        reject(new Error(`no ${what} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (m: Message) => {
        if (m.type === 'error') {
          clearTimeout(timer);
          this.listeners.delete(listener);
          reject(new Error(`subscriber: ${m.message}`));
        } else if (predicate(m)) {
          clearTimeout(timer);
          this.listeners.delete(listener);
          resolve(m);
        }
      };
      this.listeners.add(listener);
    });
  }

  /** CPU seconds the process used so far. */
  cpuSeconds(): number {
    return processCpuSeconds(this.child.pid!);
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}

/** What the propagation run measured. */
export interface PropagationResult {
  /** Per write: from sending the admin request to the last subscriber applying the patch, ms. */
  readonly latencies: number[];
  readonly subscribers: number;
  readonly gaps: number;
  /** CPU time of the servers (all replicas) per write, seconds. */
  readonly serverCpuPerWrite: number;
  /** CPU time of the subscriber processes per write, seconds (receiving, parsing and applying). */
  readonly subscriberCpuPerWrite: number;
}

/**
 * Opens `subscribers` SSE streams from `processes` separate processes (split evenly, each on
 * one of `streamUrls` in turn), then makes `writes` admin changes one at a time on `writer`
 * (enabling and disabling a flag), each timed until every stream has applied it. Before them,
 * `warmupWrites` (default 50) untimed changes go through the same streams: the subscriber
 * processes are fresh and have just parsed a thousand snapshots: without them the first few
 * dozen writes run on cold code while that garbage is collected, and make most of the tail.
 */
export async function measurePropagation(options: {
  writer: ServerProcess;
  /** Every server taking part (their CPU time is reported), default the writer. */
  servers?: readonly ServerProcess[];
  streamUrls: readonly string[];
  serverKey: string;
  subscribers: number;
  processes: number;
  writes: number;
  /** Untimed writes first, through the same streams (default 50). */
  warmupWrites?: number;
  flag: string;
}): Promise<PropagationResult> {
  const share = Math.ceil(options.subscribers / options.processes);
  const groups = Array.from(
    { length: options.processes },
    (_, i) => new Subscribers(options.streamUrls[i % options.streamUrls.length]!, options.serverKey, share),
  );
  try {
    await Promise.all(groups.map((g) => g.next((m) => m.type === 'ready', 120_000, 'ready subscribers')));
    let gaps = 0;
    let written = 0;
    /** One admin write, in milliseconds until every stream applied it. */
    const write = async (): Promise<number> => {
      const done = groups.map((g) => g.next((m) => m.type === 'applied', 30_000, 'applied patch'));
      const start = process.hrtime.bigint();
      await options.writer.admin(
        'POST',
        `/api/v1/projects/default/flags/${options.flag}/environments/production/${written++ % 2 === 0 ? 'disable' : 'enable'}`,
      );
      const reports = await Promise.all(done);
      const last = reports.reduce((max, r) => (BigInt(r.at!) > max ? BigInt(r.at!) : max), 0n);
      gaps = Math.max(gaps, ...reports.map((r) => r.gaps ?? 0));
      return Number(last - start) / 1e6;
    };
    for (let i = 0; i < (options.warmupWrites ?? 50); i++) await write();
    const latencies: number[] = [];
    const servers = options.servers ?? [options.writer];
    const cpu = () => servers.reduce((sum, s) => sum + s.cpuSeconds(), 0);
    const subscriberCpu = () => groups.reduce((sum, g) => sum + g.cpuSeconds(), 0);
    const cpuBefore = cpu();
    const subscriberCpuBefore = subscriberCpu();
    for (let i = 0; i < options.writes; i++) latencies.push(await write());
    return {
      latencies,
      subscribers: share * options.processes,
      gaps,
      serverCpuPerWrite: (cpu() - cpuBefore) / options.writes,
      subscriberCpuPerWrite: (subscriberCpu() - subscriberCpuBefore) / options.writes,
    };
  } finally {
    for (const g of groups) g.stop();
  }
}
