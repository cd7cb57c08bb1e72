import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const repoModules = path.join(root, 'node_modules');

/** A workspace package the test packs: its folder, and a file its build must have produced. */
export const PACKAGES = {
  '@vexil/core': { dir: path.join(root, 'packages/core'), built: 'dist/index.js' },
  '@vexil/sdk': { dir: path.join(root, 'packages/sdk'), built: 'dist/node/index.js' },
} as const;

/**
 * Third-party packages the scratch project gets from the repository's node_modules (by
 * symlink: no network): the packed packages' dependencies, the optional OpenFeature peers,
 * and @types/node for type-checking.
 */
const THIRD_PARTY = [
  'zod',
  're2js',
  'eventsource',
  '@openfeature/server-sdk',
  '@openfeature/web-sdk',
  '@openfeature/core',
  '@types/node',
];

/** Why the packages can't be tested as built (not built, or built before their source last changed). */
export function notBuilt(): string | undefined {
  for (const [name, { dir, built }] of Object.entries(PACKAGES)) {
    const output = path.join(dir, built);
    if (!existsSync(output)) return `${name} is not built (no ${path.relative(root, output)})`;
    const newest = newestSource(path.join(dir, 'src'));
    if (newest > statSync(output).mtimeMs)
      return `${name}'s build is older than its source (${path.relative(root, output)})`;
  }
  return undefined;
}

/**
 * Packs @vexil/core and @vexil/sdk with `npm pack` and installs the tarballs into a new
 * scratch project (extracted into node_modules, as npm would), with the few third-party
 * packages linked from the repository. Returns the project's folder.
 */
export function installPacked(): string {
  const project = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-pack-'));
  const modules = path.join(project, 'node_modules');
  for (const [name, { dir }] of Object.entries(PACKAGES)) {
    const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], { cwd: dir })
      .toString()
      .trim()
      .split('\n')
      .pop()!;
    const target = path.join(modules, name);
    mkdirSync(target, { recursive: true });
    execFileSync('tar', ['-xzf', path.join(project, tarball), '-C', target, '--strip-components=1']);
  }
  for (const name of THIRD_PARTY) {
    mkdirSync(path.dirname(path.join(modules, name)), { recursive: true });
    symlinkSync(path.join(repoModules, name), path.join(modules, name));
  }
  writeFileSync(
    path.join(project, 'package.json'),
    '{ "name": "scratch", "private": true, "type": "module" }',
  );
  return project;
}

/** The TypeScript compiler of the repository. */
export const TSC = path.join(repoModules, 'typescript/bin/tsc');

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(file));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts'))
      newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}
