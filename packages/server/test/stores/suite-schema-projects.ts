import { expect, it } from 'vitest';
import { AlreadyExistsError, SchemaVersionError } from '../../src/errors/index.js';
import { environment, project, T1 } from './fixtures.js';
import type { TestStore } from './store-suite.js';

export function schemaProjectTests(get: () => TestStore): void {
  it('reports a fresh database as unmigrated and refuses to use it', async () => {
    const { store } = get();
    const status = await store.migrationStatus();
    expect(status.current).toBe(0);
    expect(status.latest).toBeGreaterThan(0);
    await expect(store.assertSchemaCurrent()).rejects.toMatchObject({ code: 'MIGRATION_REQUIRED' });
  });

  it('applies every migration once, and nothing the second time', async () => {
    const { store } = get();
    const first = await store.migrate();
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.current).toBe(first.latest);
    const second = await store.migrate();
    expect(second.applied).toEqual([]);
    await store.assertSchemaCurrent();
    await store.ping();
  });

  it('refuses a schema newer than the code, with a clear message', async () => {
    const t = get();
    await t.store.migrate();
    await t.execRaw(`INSERT INTO vexil_migrations (version, name, applied_at) VALUES (999, 'future', 'x')`);
    const error = await t.store.migrate().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaVersionError);
    expect(error).toMatchObject({ code: 'SCHEMA_TOO_NEW', current: 999 });
    expect((error as Error).message).toMatch(/newer than this Vexil understands/);
    await expect(t.store.assertSchemaCurrent()).rejects.toMatchObject({ code: 'SCHEMA_TOO_NEW' });
  });

  it('creates, reads, updates, lists and deletes projects', async () => {
    const { store } = get();
    await store.migrate();
    await store.transaction(async (tx) => {
      await tx.insertProject(project('shop', { name: 'Shop', metadata: { team: 'payments', n: 1 } }));
      await tx.insertProject(project('blog', { description: 'The 100% blog' }));
    });
    expect(await store.getProject('shop')).toMatchObject({
      name: 'Shop',
      metadata: { team: 'payments', n: 1 },
    });
    expect(await store.getProject('nope')).toBeUndefined();
    await store.transaction((tx) => tx.updateProject(project('shop', { name: 'Shop 2', updatedAt: T1 })));
    expect(await store.getProject('shop')).toMatchObject({ name: 'Shop 2', updatedAt: T1 });
    const all = await store.listProjects({ limit: 10, offset: 0 });
    expect(all.total).toBe(2);
    expect(all.items.map((p) => p.key)).toEqual(['blog', 'shop']);
    const page = await store.listProjects({ limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 2, items: [{ key: 'shop' }] });
    const found = await store.listProjects({ limit: 10, offset: 0, text: '100%' });
    expect(found.items.map((p) => p.key)).toEqual(['blog']);
    const none = await store.listProjects({ limit: 10, offset: 0, text: '%' });
    expect(none.items.map((p) => p.key)).toEqual(['blog']);
    await store.transaction((tx) => tx.deleteProject('blog'));
    expect(await store.getProject('blog')).toBeUndefined();
  });

  it('refuses a second project with the same key', async () => {
    const { store } = get();
    await store.migrate();
    await store.transaction((tx) => tx.insertProject(project('shop')));
    await expect(store.transaction((tx) => tx.insertProject(project('shop')))).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
  });

  it('keeps environments per project, in position order', async () => {
    const { store } = get();
    await store.migrate();
    await store.transaction(async (tx) => {
      await tx.insertProject(project('shop'));
      await tx.insertEnvironment(environment('shop', 'production', { position: 2 }));
      await tx.insertEnvironment(environment('shop', 'development', { position: 1 }));
      await tx.insertEnvironment(environment('shop', 'staging', { position: 1 }));
    });
    const envs = await store.listEnvironments('shop');
    expect(envs.map((e) => e.key)).toEqual(['development', 'staging', 'production']);
    await expect(
      store.transaction((tx) => tx.insertEnvironment(environment('shop', 'staging'))),
    ).rejects.toBeInstanceOf(AlreadyExistsError);
    await store.transaction((tx) =>
      tx.updateEnvironment(environment('shop', 'staging', { name: 'Staging', position: 5, version: 77 })),
    );
    const staging = await store.getEnvironment('shop', 'staging');
    expect(staging).toMatchObject({ name: 'Staging', position: 5, version: 0 });
    await store.transaction((tx) => tx.deleteEnvironment('shop', 'staging'));
    expect(await store.getEnvironment('shop', 'staging')).toBeUndefined();
  });

  it('rolls back every write of a transaction that throws', async () => {
    const { store } = get();
    await store.migrate();
    const failure = store.transaction(async (tx) => {
      await tx.insertProject(project('shop'));
      await tx.appendAudit({
        at: T1,
        actor: 'a',
        action: 'project.create',
        resourceType: 'project',
        project: 'shop',
        environment: null,
        resourceKey: 'shop',
        version: null,
        before: null,
        after: { key: 'shop' },
        comment: null,
      });
      throw new Error('boom');
    });
    await expect(failure).rejects.toThrow('boom');
    expect(await store.getProject('shop')).toBeUndefined();
    expect((await store.listAudit({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it('stores and replaces metadata values', async () => {
    const { store } = get();
    await store.migrate();
    expect(await store.getMeta('bootstrap')).toBeUndefined();
    await store.transaction((tx) => tx.setMeta('bootstrap', { at: T1, admin: true }));
    await store.transaction((tx) => tx.setMeta('bootstrap', { at: T1, admin: false }));
    expect(await store.getMeta('bootstrap')).toEqual({ at: T1, admin: false });
  });
}
