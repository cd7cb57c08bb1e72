#!/usr/bin/env node
// Builds the dashboard with Vite, or does nothing when dist/ already matches the sources.
// `node scripts/build.mjs` builds only when stale (npm start's prestart); `--force` always builds.
// "Stale" is decided by a hash of every input (the dashboard's and @vexil/core's sources and
// configs, the lock file), written to dist/.build-hash after a successful build: cheap enough for every start.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const core = join(root, '..', 'core');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-hash');
// One build at a time (npm start, npm run build and the browser tests may overlap).
const lockDir = join(
  tmpdir(),
  `vexil-dashboard-build-${createHash('sha256').update(root).digest('hex').slice(0, 12)}.lock`,
);
const STALE_LOCK_MS = 5 * 60_000;

const INPUTS = [
  join(root, 'src'),
  join(root, 'index.html'),
  join(root, 'vite.config.ts'),
  join(root, 'package.json'),
  // how it is built
  join(root, 'scripts', 'build.mjs'),
  join(core, 'src'),
  join(core, 'package.json'),
  // installed versions of Vite, React, recharts …
  join(root, '..', '..', 'package-lock.json'),
];

/** Every file under the inputs, sorted, skipping tests. */
function files(path) {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .filter((entry) => !/\.test\.tsx?$/.test(entry.name))
    .flatMap((entry) => files(join(path, entry.name)))
    .sort();
}

/** A hash of the inputs' names and contents. */
export function inputHash() {
  const hash = createHash('sha256');
  for (const file of INPUTS.flatMap(files)) {
    hash.update(relative(root, file));
    hash.update('\0');
    hash.update(readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether dist/ was built from the current sources. */
export function isFresh() {
  if (!existsSync(join(dist, 'index.html')) || !existsSync(stampFile)) return false;
  return readFileSync(stampFile, 'utf8').trim() === inputHash();
}

/** Takes the build lock, waiting while another process holds it (a stale lock is broken). */
async function lock() {
  for (;;) {
    try {
      mkdirSync(lockDir);
      return;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > STALE_LOCK_MS)
          rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // released meanwhile
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Builds when stale (or always with `force`); resolves to whether it built. */
export async function ensureBuilt({ force = false, quiet = false } = {}) {
  if (!force && isFresh()) {
    if (!quiet) console.log('dashboard: build is up to date (packages/dashboard/dist)');
    return false;
  }
  await lock();
  try {
    // Another process may have built it while this one waited.
    if (!force && isFresh()) return false;
    return await runVite(quiet);
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

async function runVite(quiet) {
  const hash = inputHash();
  if (!quiet) console.log('dashboard: building packages/dashboard/dist …');
  const { build } = await import('vite');
  // Vite keeps a NODE_ENV it finds: under vitest ("test") it would bundle React's development
  // build and the dev JSX runtime — slower, larger, and stamped as fresh for `npm start`.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root,
      configFile: join(root, 'vite.config.ts'),
      mode: 'production',
      logLevel: quiet ? 'error' : 'warn',
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(stampFile, `${hash}\n`);
  if (!quiet) console.log('dashboard: built');
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureBuilt({ force: process.argv.includes('--force') }).catch((error) => {
    console.error('dashboard: build failed');
    console.error(error);
    process.exitCode = 1;
  });
}
