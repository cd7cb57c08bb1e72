import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveServeConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/start-server.js';
import { openStore } from '../../src/stores/open-store.js';
import { ROOT } from '../cli/spawn.js';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';
import { tempDir } from '../helpers/temp-dir.js';

/** Starts a SQLite server in a fresh Node process and lists which of `packages` it loaded. */
function packagesLoadedBySqliteServer(packages: readonly string[]): Promise<string[]> {
  const script = `
    const { resolveServeConfig } = await import('./packages/server/src/server/config.ts');
    const { startServer } = await import('./packages/server/src/server/start-server.ts');
    const { createRequire } = await import('node:module');
    const config = resolveServeConfig(
      { db: ${JSON.stringify(join(tempDir('vexil-lazy-').path, 'v.db'))}, port: '0', host: '127.0.0.1', logLevel: 'silent' },
      { VEXIL_ADMIN_TOKEN: 'lazy-modules-admin-token-0123' },
    );
    const server = await startServer(config, () => undefined);
    const loaded = Object.keys(createRequire(import.meta.url).cache);
    const wanted = ${JSON.stringify(packages)};
    process.stdout.write(JSON.stringify(wanted.filter((p) => loaded.some((f) => f.includes('/node_modules/' + p + '/')))));
    await server.close();
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=vexil-source', '--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out) as string[]) : reject(new Error(`exit ${code}`)),
    );
  });
}

describe('modules loaded only when configured', () => {
  it('a SQLite server loads neither the PostgreSQL nor the Redis client, nor ajv', async () => {
    const loaded = await packagesLoadedBySqliteServer(['pg', 'ioredis', 'ajv', 'better-sqlite3', 'fastify']);
    expect(loaded).toEqual(['better-sqlite3', 'fastify']);
  }, 60_000);

  describe('on PostgreSQL', async () => {
    const available = await postgresAvailable();
    const schema = uniqueSchema('vexil_lazy');
    const db = `${TEST_DATABASE_URL}?schema=${schema}`;
    afterAll(async () => {
      if (available) await dropSchema(schema);
    });

    it.skipIf(!available)('opens the store with the driver loaded on demand', async () => {
      const store = await openStore({ db, migrate: true });
      try {
        expect(store.dialect).toBe('postgres');
        await store.assertSchemaCurrent();
        expect(await store.getMeta('no-such-entry')).toBeUndefined();
      } finally {
        await store.close();
      }
    });

    it.skipIf(!available)(
      'carries a change from one server to another (replication loaded on demand)',
      async () => {
        const config = (migrate: boolean) =>
          resolveServeConfig(
            { db, port: '0', host: '127.0.0.1', logLevel: 'silent', migrate },
            { VEXIL_ADMIN_TOKEN: 'lazy-modules-admin-token-0123' },
          );
        const a = await startServer(config(true), () => undefined);
        const b = await startServer(config(false), () => undefined);
        try {
          await a.vexil.flags.create('default', 'lazy-flag', { type: 'boolean', enabled: true });
          const version = (await a.vexil.environments.get('default', 'production')).version;
          await b.delivery.snapshots.waitForVersion('default', 'production', version, 10_000);
          expect(
            b.delivery.snapshots.get('default', 'production', 'server')?.definition.flags,
          ).toHaveProperty('lazy-flag');
        } finally {
          await b.close();
          await a.close();
        }
      },
      30_000,
    );
  });
});
