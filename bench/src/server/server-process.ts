import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { processCpuSeconds, processRss } from './proc.js';

/** A `vexil serve` process the benchmark drives. */
export interface ServerProcess {
  readonly url: string;
  readonly pid: number;
  readonly adminToken: string;
  /** Calls the admin API; throws on a non-2xx answer. */
  admin<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  /** Resident memory now, in bytes. */
  rss(): number;
  /** CPU time (user + system) the process used so far, in seconds (NaN where /proc is missing). */
  cpuSeconds(): number;
  stop(): Promise<void>;
}

/** Options of one server process. */
export interface ServerProcessOptions {
  /** The built CLI (see `buildServer`). */
  readonly cli: string;
  /** `--db`: a PostgreSQL URL, or default a fresh SQLite file. */
  readonly db?: string;
  readonly env?: Record<string, string>;
  readonly adminToken?: string;
  /** Node flags (e.g. `--cpu-prof` when looking into a result). */
  readonly nodeArgs?: readonly string[];
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the server with warnings-only logs (production servers don't log every SDK
 * request at info) and waits until `/readyz` answers 200.
 */
export async function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vexil-bench-server-'));
  const port = await freePort();
  const adminToken = options.adminToken ?? `admin-${randomBytes(16).toString('hex')}`;
  const child: ChildProcess = spawn(
    process.execPath,
    [
      ...(options.nodeArgs ?? []),
      options.cli,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--db',
      options.db ?? path.join(dir, 'vexil.db'),
    ],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        VEXIL_ADMIN_TOKEN: adminToken,
        VEXIL_LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  // Never leave a server behind, even when the benchmark dies.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vexil serve exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('vexil serve did not become ready within 60 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    adminToken,
    async admin<T>(method: string, route: string, body?: unknown): Promise<T> {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${text.slice(0, 500)}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    rss: () => processRss(child.pid!),
    cpuSeconds: () => processCpuSeconds(child.pid!),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
