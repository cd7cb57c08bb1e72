import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { LoadResult, LoadSpec } from './load.js';

/** Whether `wrk` (the C load generator: `apt-get install wrk`) is on the PATH. */
export function hasWrk(): boolean {
  const probe = spawnSync('wrk', ['-v'], { stdio: 'ignore' });
  return probe.error === undefined;
}

/** A Lua long string holding `text` verbatim. */
function luaString(text: string): string {
  let level = '';
  while (text.includes(`]${level}]`)) level += '=';
  return `[${level}[${text}]${level}]`;
}

/** Runs `wrk` (one thread) and reads its summary from a Lua `done` hook. */
export function runWrk(spec: LoadSpec): Promise<LoadResult> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vexil-wrk-'));
  const script = path.join(dir, 'load.lua');
  const lines = [`wrk.method = "${spec.method ?? 'GET'}"`];
  if (spec.body !== undefined) lines.push(`wrk.body = ${luaString(spec.body)}`);
  for (const [k, v] of Object.entries(spec.headers ?? {}))
    lines.push(`wrk.headers[ ${luaString(k)} ] = ${luaString(v)}`);
  lines.push(
    'done = function(summary, latency, requests)',
    '  local e = summary.errors',
    '  io.write(string.format(\'{"requests":%d,"micros":%d,"p50":%f,"p99":%f,"failed":%d,"bytes":%d}\\n\',',
    '    summary.requests, summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000,',
    '    e.connect + e.read + e.write + e.timeout + e.status, summary.bytes))',
    'end',
  );
  writeFileSync(script, lines.join('\n'));
  return new Promise((resolve, reject) => {
    const child = spawn(
      'wrk',
      ['-t1', `-c${spec.connections}`, `-d${spec.seconds}s`, '--timeout', '10s', '-s', script, spec.url],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    child.once('exit', (code) => {
      rmSync(dir, { recursive: true, force: true });
      const line = out.split('\n').find((l) => l.startsWith('{"requests"'));
      if (code !== 0 || line === undefined) {
        reject(new Error(`wrk exited with ${code}: ${out.slice(-500)}`));
        return;
      }
      const r = JSON.parse(line) as {
        requests: number;
        micros: number;
        p50: number;
        p99: number;
        failed: number;
        bytes: number;
      };
      const seconds = r.micros / 1e6;
      resolve({
        requestsPerSecond: r.requests / seconds,
        p50: r.p50,
        p99: r.p99,
        total: r.requests,
        ok2xx: r.requests - r.failed,
        ok3xx: r.requests - r.failed,
        failed: r.failed,
        throughput: r.bytes / seconds,
      });
    });
  });
}
