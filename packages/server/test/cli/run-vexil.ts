import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { resolveServeConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/start-server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { ROOT } from './spawn.js';

/** The CLI entry `npm start` uses, run from the TypeScript source. */
const MAIN = join(ROOT, 'packages/server/src/cli/main.ts');

export interface VexilRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `vexil ...args` in a child process (no VEXIL_* from the outside, plus `env`). */
export function vexil(
  args: readonly string[],
  options: { env?: Record<string, string>; stdin?: string; cwd?: string } = {},
): Promise<VexilRun> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VEXIL_')));
  const child = spawn(process.execPath, ['--conditions=vexil-source', '--import', 'tsx', MAIN, ...args], {
    cwd: options.cwd ?? ROOT,
    env: { ...clean, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
  });
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  child.stdin.end(options.stdin ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const ADMIN_TOKEN = 'cli-test-admin-token-0123456789';

/** A real server on port 0 with a fresh SQLite file, and the environment that points `vexil` at it. */
export async function startTestServer() {
  const dir = tempDir('vexil-cli-');
  const config = resolveServeConfig(
    { db: join(dir.path, 'vexil.db'), port: '0', host: '127.0.0.1', logLevel: 'silent' },
    { VEXIL_ADMIN_TOKEN: ADMIN_TOKEN },
  );
  const server = await startServer(config, () => undefined);
  return {
    server,
    dir: dir.path,
    env: { VEXIL_URL: server.url, VEXIL_TOKEN: ADMIN_TOKEN },
    async stop() {
      await server.close();
      dir.remove();
    },
  };
}
