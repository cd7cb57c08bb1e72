import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The README's commands, run as written (from the repository root).
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const run = async (example: string) => {
  const { stdout } = await promisify(execFile)(
    'npx',
    ['tsx', '--conditions=vexil-source', `packages/sdk/examples/${example}`],
    { cwd: root, timeout: 60_000 },
  );
  return stdout;
};

describe('examples', () => {
  it('quick-start.ts evaluates flags from a file', async () => {
    const out = await run('quick-start.ts');
    expect(out).toContain('new-checkout: true');
    expect(out).toContain('button-color: blue');
    expect(out).toContain('max-items: 50');
    expect(out).toContain('"format":"vexil-all-flags/1"');
  });

  it('openfeature.ts evaluates through the OpenFeature server SDK', async () => {
    const out = await run('openfeature.ts');
    expect(out).toContain('new-checkout: true');
    expect(out).toContain("reason: 'TARGETING_MATCH'");
  });

  it('testing.ts uses the in-memory test client and withFlag', async () => {
    const out = await run('testing.ts');
    expect(out).toContain('price with new-pricing on: 90');
    expect(out).toContain('price with new-pricing off: 100');
  });
});
