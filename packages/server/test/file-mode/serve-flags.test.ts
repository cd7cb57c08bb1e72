import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Spawned, spawnServe } from '../cli/spawn.js';
import { tempDir } from '../helpers/temp-dir.js';

const KEY = 'vx_server_spawned_file_mode_key_0001';

describe('vexil serve --flags as a process', () => {
  const running: Spawned[] = [];
  const dirs: { remove(): void }[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) {
      p.signal('SIGKILL');
      await p.exited;
    }
    for (const d of dirs.splice(0)) d.remove();
  });

  it('logs a bad edit with the path of every issue, keeps serving, and reloads the next good edit', async () => {
    const dir = tempDir('vexil-serve-flags-');
    dirs.push(dir);
    const file = join(dir.path, 'flags.json');
    writeFileSync(file, JSON.stringify({ flags: { a: { type: 'boolean', enabled: true } } }));
    const server = spawnServe(['--flags', file, '--port', '0', '--host', '127.0.0.1'], {
      VEXIL_SDK_KEYS: KEY,
    });
    running.push(server);
    const ready = await server.waitForLog('vexil ready');
    expect(ready).toMatchObject({ mode: 'file', flags: 1, environments: ['default'] });
    const snapshot = async () =>
      (await (
        await fetch(`${ready.url}/api/v1/sdk/snapshot`, { headers: { authorization: `Bearer ${KEY}` } })
      ).json()) as {
        flags: Record<string, { enabled?: boolean }>;
      };
    expect((await snapshot()).flags.a?.enabled).toBe(true);

    writeFileSync(
      file,
      JSON.stringify({ flags: { a: { type: 'boolean', enabled: 'yes' }, b: { type: 'colour' } } }),
    );
    const rejected = await server.waitForLog('flags file rejected: still serving the last good version');
    expect(rejected.issues).toEqual([
      { path: 'flags.a.enabled', message: expect.stringContaining('boolean') },
      { path: 'flags.b.type', message: expect.stringContaining('colour') },
    ]);
    expect((await snapshot()).flags.a?.enabled).toBe(true);

    writeFileSync(file, JSON.stringify({ flags: { a: { type: 'boolean', enabled: false } } }));
    await server.waitForLog('flags file reloaded');
    expect((await snapshot()).flags.a?.enabled).toBe(false);
    server.signal('SIGTERM');
    await server.exited;
    expect(server.stdout()).toContain('"msg":"vexil stopped"');
  }, 90_000);

  it('refuses database options and a missing file, with exit code 1 and the reason', async () => {
    const dir = tempDir('vexil-serve-flags-');
    dirs.push(dir);
    const withDb = spawnServe(['--flags', join(dir.path, 'none.yaml'), '--db', join(dir.path, 'x.db')]);
    const missing = spawnServe(['--flags', join(dir.path, 'none.yaml'), '--port', '0']);
    running.push(withDb, missing);
    expect(await withDb.exited).toBe(1);
    expect(withDb.stderr()).toContain('--db: file mode has no database: drop --db or --flags');
    expect(await missing.exited).toBe(1);
    expect(missing.stderr()).toMatch(/none\.yaml is not a valid flag set:\n {2}: cannot read/);
  }, 90_000);
});
