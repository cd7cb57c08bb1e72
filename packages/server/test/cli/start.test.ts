import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir.js';
import { type Spawned, spawnInRoot } from './spawn.js';

describe('npm start', () => {
  const running: Spawned[] = [];
  const dirs: { remove(): void }[] = [];
  afterEach(async () => {
    for (const p of running.splice(0)) {
      p.signal('SIGKILL');
      await p.exited;
    }
    for (const d of dirs.splice(0)) d.remove();
  });

  it('boots vexil serve with the flags passed through, prints the first admin key once and stops on SIGTERM', async () => {
    const dir = tempDir('vexil-start-');
    dirs.push(dir);
    const db = join(dir.path, 'other.db');
    const server = spawnInRoot('npm', ['start', '--', '--port', '0', '--host', '127.0.0.1', '--db', db]);
    running.push(server);
    const ready = await server.waitForLog('vexil ready');
    expect(ready).toMatchObject({ store: 'sqlite', firstStart: true });
    const url = ready.url as string;
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/api/v1/projects`)).status).toBe(401);

    const secret = /vx_admin_[A-Za-z0-9_-]{32}/.exec(server.stdout())?.[0];
    expect(secret).toBeDefined();
    const auth = { authorization: `Bearer ${secret}` };
    const projects = (await (await fetch(`${url}/api/v1/projects`, { headers: auth })).json()) as {
      items: { key: string }[];
    };
    expect(projects.items.map((p: { key: string }) => p.key)).toEqual(['default']);
    const envs = (await (
      await fetch(`${url}/api/v1/projects/default/environments`, { headers: auth })
    ).json()) as { items: { key: string }[] };
    expect(envs.items.map((e: { key: string }) => e.key)).toEqual(['development', 'production']);

    server.signal('SIGTERM');
    await server.exited;
    expect(server.stdout()).toContain('"msg":"vexil stopped"');

    const token = 'a-long-random-admin-token-for-the-test';
    const again = spawnInRoot('npm', ['start', '--', '--port', '0', '--host', '127.0.0.1'], {
      VEXIL_DB: db,
      VEXIL_ADMIN_TOKEN: token,
    });
    running.push(again);
    const second = await again.waitForLog('vexil ready');
    expect(second.firstStart).toBe(false);
    expect(again.stdout()).not.toContain('vx_admin_');
    const mine = await fetch(`${second.url}/api/v1/keys/self`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(await mine.json()).toMatchObject({ kind: 'admin', name: 'VEXIL_ADMIN_TOKEN' });
    expect((await fetch(`${second.url}/api/v1/projects`, { headers: auth })).status).toBe(200);
    again.signal('SIGINT');
    await again.exited;
    expect(again.stdout()).toContain('"msg":"vexil stopped"');
  }, 120_000);

  it('refuses to start on an unmigrated database with --no-migrate, saying how to fix it', async () => {
    const dir = tempDir('vexil-start-');
    dirs.push(dir);
    const server = spawnInRoot('npm', [
      'start',
      '--silent',
      '--',
      '--port',
      '0',
      '--no-migrate',
      '--db',
      join(dir.path, 'v.db'),
    ]);
    running.push(server);
    expect(await server.exited).not.toBe(0);
    expect(server.stderr()).toMatch(
      /vexil serve: the database schema is at version 0, this Vexil needs \d+\. Start with --migrate/,
    );
  }, 120_000);

  it('lists every option in vexil serve --help', async () => {
    const help = spawnInRoot('npx', [
      'tsx',
      '--conditions=vexil-source',
      'packages/server/src/cli/main.ts',
      'serve',
      '--help',
    ]);
    running.push(help);
    expect(await help.exited).toBe(0);
    for (const option of [
      '--db',
      '--port',
      '--host',
      '--read-only',
      '--migrate',
      '--no-migrate',
      '--log-level',
    ]) {
      expect(help.stdout()).toContain(option);
    }
    for (const variable of [
      'VEXIL_DB',
      'VEXIL_PORT',
      'VEXIL_HOST',
      'VEXIL_READ_ONLY',
      'VEXIL_MIGRATE',
      'VEXIL_ADMIN_TOKEN',
    ]) {
      expect(help.stdout()).toContain(variable);
    }
  }, 60_000);
});
