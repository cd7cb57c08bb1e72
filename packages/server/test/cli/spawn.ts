import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

export interface Spawned {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the first stdout JSON log line that has `msg`, or rejects when the process ends first. */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code once the process (group) has ended. */
  exited: Promise<number | null>;
  /** Sends a signal to the whole process group (npm, tsx and node). */
  signal(signal: NodeJS.Signals): void;
}

/** Runs a command in its own process group, with a clean `VEXIL_*`-free environment plus `env`. */
export function spawnInRoot(command: string, args: string[], env: Record<string, string> = {}): Spawned {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VEXIL_')));
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...clean, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const waiters: (() => void)[] = [];
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of waiters) w();
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  // 'close': every process holding the output pipes (npm, tsx, node) has ended, so all output is in.
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  let ended = false;
  void exited.then(() => {
    ended = true;
    for (const w of waiters) w();
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    signal(signal) {
      if (child.pid !== undefined && !ended) {
        try {
          process.kill(-child.pid, signal);
        } catch {
          // already gone
        }
      }
    },
    waitForLog(msg, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no "${msg}" log within ${timeoutMs} ms\n${out}\n${err}`)),
          timeoutMs,
        );
        const check = () => {
          for (const line of out.split('\n')) {
            if (!line.startsWith('{')) continue;
            try {
              const entry = JSON.parse(line) as Record<string, unknown>;
              if (entry.msg === msg) {
                clearTimeout(timer);
                resolve(entry);
                return;
              }
            } catch {
              // a partial line; wait for more
            }
          }
          if (ended) {
            clearTimeout(timer);
            reject(new Error(`the process ended before logging "${msg}"\n${out}\n${err}`));
          }
        };
        waiters.push(check);
        check();
      });
    },
  };
}

/**
 * Runs `vexil serve` from the TypeScript source (node with tsx, one process) in its own
 * process group, with `args` after `serve`.
 */
export function spawnServe(args: string[], env: Record<string, string> = {}): Spawned {
  return spawnInRoot(
    process.execPath,
    ['--conditions=vexil-source', '--import', 'tsx', 'packages/server/src/cli/main.ts', 'serve', ...args],
    env,
  );
}
