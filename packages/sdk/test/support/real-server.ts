import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../../../server/src/cli/main.ts', import.meta.url));

/** A real Vexil server (`vexil serve`) in a child process, on SQLite, killable with SIGKILL. */
export interface RealServer {
  readonly url: string;
  readonly port: number;
  readonly adminToken: string;
  /** Calls the admin API; throws on a non-2xx answer. */
  admin<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
  /** Kills the process at once (no graceful shutdown). */
  kill(): Promise<void>;
}

/** Starts `vexil serve` on `dbDir/vexil.db`; port 0 picks a free one. */
export async function startRealServer(options: {
  dbDir: string;
  port?: number;
  adminToken?: string;
  /** Extra environment (VEXIL_SIGNING_KEY …). */
  env?: Record<string, string>;
}): Promise<RealServer> {
  const adminToken = options.adminToken ?? `admin-${randomBytes(16).toString('hex')}`;
  const child = spawn(
    process.execPath,
    [
      '--conditions=vexil-source',
      '--import',
      'tsx',
      cli,
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port ?? 0),
      '--db',
      path.join(options.dbDir, 'vexil.db'),
      '--log-level',
      'info',
    ],
    {
      env: { ...process.env, ...options.env, VEXIL_ADMIN_TOKEN: adminToken },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const url = await readyUrl(child);
  const port = Number(new URL(url).port);
  return {
    url,
    port,
    adminToken,
    async admin<T>(method: string, route: string, body?: unknown): Promise<T> {
      const init: RequestInit = { method, headers: { authorization: `Bearer ${adminToken}` } };
      if (body !== undefined) {
        init.body = JSON.stringify(body);
        init.headers = { ...init.headers, 'content-type': 'application/json' };
      }
      const response = await fetch(`${url}${route}`, init);
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${text}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/** Waits for the server's `vexil ready` log line and returns its URL. */
function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    let errors = '';
    const timer = setTimeout(
      () => fail(new Error(`vexil serve did not start in time:\n${buffer}${errors}`)),
      60_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    };
    child.stderr?.on('data', (chunk) => {
      errors += chunk;
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split('\n')) {
        if (!line.includes('"vexil ready"')) continue;
        clearTimeout(timer);
        resolve((JSON.parse(line) as { url: string }).url);
        return;
      }
    });
    child.once('exit', (code, signal) =>
      fail(new Error(`vexil serve exited (${code ?? signal}):\n${buffer}${errors}`)),
    );
  });
}
