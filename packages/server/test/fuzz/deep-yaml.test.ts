import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseYaml } from '../../src/services/io/parse-yaml.js';
import { type Spawned, spawnServe } from '../cli/spawn.js';
import { tempDir } from '../helpers/temp-dir.js';

const TOKEN = 'deep-yaml-test-admin-token-0123456789';

// Found while fuzzing: a few kilobytes of nested YAML ("- - - … x") sent to the import
// route aborted the whole server process (V8 ran out of stack inside its regular-expression
// compiler while the YAML library recursed), instead of answering 400.
describe('deeply nested YAML', () => {
  const running: Spawned[] = [];
  const dirs: { remove(): void }[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) {
      p.signal('SIGKILL');
      await p.exited;
    }
    for (const d of dirs.splice(0)) d.remove();
  });

  it('is refused by depth before the YAML library recurses into it, in every form of nesting', () => {
    for (const text of [
      `${'- '.repeat(50_000)}x`,
      `${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      `${'{a: '.repeat(20_000)}1${'}'.repeat(20_000)}`,
    ]) {
      expect(parseYaml(text)).toEqual({
        ok: false,
        issues: [{ path: '', message: 'the YAML nests deeper than 64 levels' }],
      });
    }
    const nested = Array.from({ length: 100 }, (_, i) => `${'  '.repeat(i)}k${i}:`).join('\n');
    expect(parseYaml(`${nested} x`, { maxDepth: 64 })).toMatchObject({ ok: false });
    expect(parseYaml('flags:\n  a: { type: boolean, tags: [x] }\n')).toEqual({
      ok: true,
      value: { flags: { a: { type: 'boolean', tags: ['x'] } } },
    });
  });

  it('sent as the first request to a fresh server gets a 400, and the server keeps answering', async () => {
    const dir = tempDir('vexil-deep-yaml-');
    dirs.push(dir);
    const server = spawnServe(['--port', '0', '--host', '127.0.0.1', '--db', join(dir.path, 'v.db')], {
      VEXIL_ADMIN_TOKEN: TOKEN,
    });
    running.push(server);
    const url = (await server.waitForLog('vexil ready')).url as string;
    const response = await fetch(`${url}/api/v1/projects/default/import?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/yaml' },
      body: `${'- '.repeat(5_000)}x`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: {
        code: 'VALIDATION_FAILED',
        issues: [{ path: '', message: 'the YAML nests deeper than 64 levels' }],
      },
    });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  }, 120_000);
});
