import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { hasWrk, runWrk } from './wrk.js';

const CHILD = fileURLToPath(new URL('./load-child.ts', import.meta.url));

/** One HTTP load test: what to send, how hard, how long. */
export interface LoadSpec {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly connections: number;
  readonly seconds: number;
}

/** What a load test measured. */
export interface LoadResult {
  readonly requestsPerSecond: number;
  /** Latency percentiles, ms. */
  readonly p50: number;
  readonly p99: number;
  readonly total: number;
  /** Answers by status class (wrk tells only failures: 2xx and 3xx are both its successes). */
  readonly ok2xx: number;
  readonly ok3xx: number;
  readonly failed: number;
  /** Bytes per second read. */
  readonly throughput: number;
}

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  throughput: { average: number };
  '2xx': number;
  '3xx': number;
  '4xx': number;
  '5xx': number;
  errors: number;
  timeouts: number;
}

/** The load generator used: `wrk` when installed (C, cheaper per request), else autocannon. */
export const LOAD_GENERATOR: 'wrk' | 'autocannon' = hasWrk() ? 'wrk' : 'autocannon';

/** Runs the load generator against the server from a separate process (the server never shares it). */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return LOAD_GENERATOR === 'wrk' ? runWrk(spec) : runAutocannon(spec);
}

function runAutocannon(spec: LoadSpec): Promise<LoadResult> {
  const options = {
    url: spec.url,
    method: spec.method ?? 'GET',
    headers: spec.headers ?? {},
    ...(spec.body === undefined ? {} : { body: spec.body }),
    connections: spec.connections,
    duration: spec.seconds,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(options)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => {
      if (code !== 0) {
        reject(new Error(`the load generator exited with ${code}`));
        return;
      }
      const r = JSON.parse(out.trim().split('\n').pop()!) as AutocannonResult;
      resolve({
        requestsPerSecond: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        total: r.requests.total,
        ok2xx: r['2xx'],
        ok3xx: r['3xx'],
        failed: r['4xx'] + r['5xx'] + r.errors + r.timeouts,
        throughput: r.throughput.average,
      });
    });
  });
}
