import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Options } from 'tsup';
import configs from '../../tsup.config.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * Builds the browser outputs as `npm run build` does (the same tsup configs), minus the
 * type declarations and with `@vexil/core` from its source, into `outDir`. Returns the IIFE bundle's text and the ESM files.
 */
export async function buildBrowser(outDir: string): Promise<{ global: string; esm: Map<string, string> }> {
  const all = configs as Options[];
  const browserConfigs = all.filter((c) => c.platform === 'browser');
  for (const config of browserConfigs) {
    const entry = Object.fromEntries(
      Object.entries(config.entry as Record<string, string>).map(([name, file]) => [
        name,
        path.join(root, file),
      ]),
    );
    await build({
      ...config,
      entry,
      dts: false,
      outDir,
      silent: true,
      clean: false,
      sourcemap: false,
      // Workspace packages from their source (as every test does), not from a possibly stale dist.
      esbuildOptions(options) {
        options.conditions = ['vexil-source'];
      },
    });
  }
  const esm = new Map<string, string>();
  for (const file of readdirSync(outDir)) {
    if (file.endsWith('.js') && file !== 'vexil.global.js')
      esm.set(file, readFileSync(path.join(outDir, file), 'utf8'));
  }
  return { global: readFileSync(path.join(outDir, 'vexil.global.js'), 'utf8'), esm };
}
