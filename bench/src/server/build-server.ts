import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const SERVER = fileURLToPath(new URL('../../../packages/server/', import.meta.url));

/** A build of `vexil` to run, and a function that removes it. */
export interface ServerBuild {
  readonly cli: string;
  remove(): void;
}

/**
 * Builds `vexil` the way the package ships it (tsup: ESM, the package's dependencies left
 * to node_modules) from the current source, under the server's ignored `dist/` folder so
 * that those dependencies resolve. The benchmark runs this build: `tsx` would add its
 * own compiler to the memory measured.
 */
export async function buildServer(): Promise<ServerBuild> {
  const parent = path.join(SERVER, 'dist');
  mkdirSync(parent, { recursive: true });
  const outDir = mkdtempSync(path.join(parent, '.bench-'));
  const pkg = JSON.parse(readFileSync(path.join(SERVER, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const external = Object.keys(pkg.dependencies)
    .filter((name) => !name.startsWith('@vexil/'))
    .map((name) => new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(/|$)`));
  await build({
    entry: { main: path.join(SERVER, 'src/cli/main.ts') },
    outDir,
    format: ['esm'],
    target: 'node20',
    platform: 'node',
    dts: false,
    sourcemap: false,
    clean: false,
    silent: true,
    external,
    noExternal: [/^@vexil\//],
    esbuildOptions(options) {
      options.conditions = ['vexil-source'];
    },
  });
  return {
    cli: path.join(outDir, 'main.js'),
    remove: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
