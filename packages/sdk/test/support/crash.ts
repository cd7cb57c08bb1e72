import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const child = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const exposureChild = fileURLToPath(new URL('./exposure-crash-child.ts', import.meta.url));

/**
 * Runs a process that tracks `count` events (named `name`, values 0…count-1) against `url`
 * with its journal in `journal`, then kills itself with SIGKILL. Resolves with what it
 * printed (its event stats) and the signal it died of.
 */
export function runCrashingChild(options: {
  url: string;
  journal: string;
  count: number;
  batchSize: number;
  key?: string;
  name?: string;
}) {
  const args = [
    '--conditions=vexil-source',
    '--import',
    'tsx',
    child,
    options.url,
    options.journal,
    String(options.count),
    String(options.batchSize),
    options.key ?? 'vx_server_test',
    options.name ?? 'purchase',
  ];
  return runChild(args);
}

/** What ends the exposure child: see exposure-crash-child.ts. */
export type ExposureCrashScenario = 'drained-then-kill' | 'full-ring-then-kill' | 'exit';

/**
 * Runs a process that evaluates flags (recording exposures) against `url` with its
 * journal in `journal`, then ends as `scenario` says, without flushing.
 */
export function runExposureChild(options: { url: string; journal: string; scenario: ExposureCrashScenario }) {
  return runChild([
    '--conditions=vexil-source',
    '--import',
    'tsx',
    exposureChild,
    options.url,
    options.journal,
    options.scenario,
  ]);
}

function runChild(args: string[]) {
  return new Promise<{ stdout: string; code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      const proc = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
      let stdout = '';
      proc.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      proc.on('error', reject);
      proc.on('exit', (code, signal) => resolve({ stdout, code, signal }));
    },
  );
}
