import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureBuilt } from '../../scripts/build.mjs';

const assets = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'assets');

describe('the build the browser tests use', () => {
  it('is a production build even under vitest (NODE_ENV=test): no development React, no dev JSX runtime', async () => {
    await ensureBuilt({ quiet: true });
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) {
      const code = readFileSync(join(assets, file), 'utf8');
      expect(code, file).not.toMatch(/\bjsxDEV\b|react\.development|Warning: Each child in a list/);
    }
  });
});
