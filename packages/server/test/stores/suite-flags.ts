import { expect, it } from 'vitest';
import { AlreadyExistsError } from '../../src/errors/index.js';
import type { Store } from '../../src/stores/index.js';
import { environment, flag, project, segment, T1 } from './fixtures.js';
import type { TestStore } from './store-suite.js';

async function seed(store: Store): Promise<void> {
  await store.migrate();
  await store.transaction(async (tx) => {
    await tx.insertProject(project('shop'));
    await tx.insertEnvironment(environment('shop', 'production'));
  });
}

export function flagTests(get: () => TestStore): void {
  it('round-trips a flag definition exactly, key order included', async () => {
    const { store } = get();
    await seed(store);
    const definition = {
      type: 'string' as const,
      variants: { zeta: 'z', alpha: 'a' },
      description: 'Checkout theme',
      tags: ['checkout', 'ui'],
      environments: { production: { enabled: true, defaultServe: { variant: 'alpha' } } },
      metadata: { nested: { b: 1, a: [1, 'x', null] } },
    };
    await store.transaction((tx) => tx.insertFlag(flag('shop', 'theme', definition)));
    const read = await store.getFlag('shop', 'theme');
    expect(read).toMatchObject({ project: 'shop', key: 'theme', version: 1, archived: false });
    expect(JSON.stringify(read?.definition)).toBe(JSON.stringify(definition));
    await expect(store.transaction((tx) => tx.insertFlag(flag('shop', 'theme')))).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
  });

  it('writes a flag only when the version it was read at is still current', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction((tx) => tx.insertFlag(flag('shop', 'f')));
    const v2 = flag('shop', 'f', { description: 'two' }, { version: 2, updatedAt: T1 });
    expect(await store.transaction((tx) => tx.updateFlag(v2, 1))).toBe(true);
    const stale = flag('shop', 'f', { description: 'stale' }, { version: 2 });
    expect(await store.transaction((tx) => tx.updateFlag(stale, 1))).toBe(false);
    expect(await store.getFlag('shop', 'f')).toMatchObject({
      version: 2,
      definition: { description: 'two' },
    });
  });

  it('lets exactly one of two concurrent writers at the same version win', async () => {
    const t = get();
    await seed(t.store);
    await t.store.transaction((tx) => tx.insertFlag(flag('shop', 'f')));
    // PostgreSQL: a second server on the same database. SQLite has one writer process by
    // design, so its writers are concurrent calls on the one store.
    const other = t.store.dialect === 'postgres' ? await t.reopen() : t.store;
    try {
      const write = (store: Store, description: string) =>
        store.transaction((tx) => tx.updateFlag(flag('shop', 'f', { description }, { version: 2 }), 1));
      const results = await Promise.all([write(t.store, 'a'), write(other, 'b'), write(t.store, 'c')]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await t.store.getFlag('shop', 'f'))?.version).toBe(2);
    } finally {
      if (other !== t.store) await other.close();
    }
  });

  it('filters flags by tag, text and archived state, with a total for paging', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertFlag(flag('shop', 'checkout', { name: 'New Checkout', tags: ['payments', 'ui'] }));
      await tx.insertFlag(flag('shop', 'search', { description: 'Faster SEARCH', tags: ['ui'] }));
      await tx.insertFlag(flag('shop', 'legacy', { tags: ['payments'] }, { archived: true }));
      await tx.insertFlag(flag('shop', 'under_score', { tags: ['payments_team'] }));
    });
    const keys = async (query: Parameters<Store['listFlags']>[1]) =>
      (await store.listFlags('shop', query)).items.map((f) => f.key);
    const all = { limit: 50, offset: 0 };
    expect(await keys(all)).toEqual(['checkout', 'legacy', 'search', 'under_score']);
    expect(await keys({ ...all, tag: 'payments' })).toEqual(['checkout', 'legacy']);
    expect(await keys({ ...all, tag: 'payments', archived: false })).toEqual(['checkout']);
    expect(await keys({ ...all, archived: true })).toEqual(['legacy']);
    expect(await keys({ ...all, text: 'search' })).toEqual(['search']);
    expect(await keys({ ...all, text: 'checkout' })).toEqual(['checkout']);
    expect(await keys({ ...all, text: 'r_s' })).toEqual(['under_score']);
    const page = await store.listFlags('shop', { limit: 2, offset: 1, archived: false });
    expect(page.total).toBe(3);
    expect(page.items.map((f) => f.key)).toEqual(['search', 'under_score']);
    expect((await store.listFlags('other', all)).total).toBe(0);
    // Totals whether or not the page reaches the end, filters included.
    const total = async (query: Parameters<Store['listFlags']>[1]) =>
      (await store.listFlags('shop', query)).total;
    expect(await total({ limit: 1, offset: 0, tag: 'payments' })).toBe(2);
    expect(await total({ limit: 1, offset: 1, tag: 'payments' })).toBe(2);
    expect(await total({ limit: 5, offset: 1, tag: 'payments' })).toBe(2);
    expect(await total({ limit: 5, offset: 9, tag: 'payments' })).toBe(2);
    expect(await total({ limit: 2, offset: 0, text: 'search' })).toBe(1);
  });

  it('keeps every version of a flag, newest first, and forgets them when the flag is deleted', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertFlag(flag('shop', 'f'));
      for (const version of [1, 2, 3]) {
        await tx.insertFlagVersion({
          project: 'shop',
          key: 'f',
          version,
          archived: version === 3,
          definition: { type: 'boolean', description: `v${version}` },
          action: version === 1 ? 'flag.create' : 'flag.update',
          actor: 'tester',
          at: T1,
        });
      }
    });
    const history = await store.listFlagVersions('shop', 'f', { limit: 2, offset: 0 });
    expect(history.total).toBe(3);
    expect(history.items.map((v) => v.version)).toEqual([3, 2]);
    expect(history.items[0]).toMatchObject({ archived: true, action: 'flag.update' });
    expect(await store.getFlagVersion('shop', 'f', 1)).toMatchObject({ definition: { description: 'v1' } });
    expect(await store.getFlagVersion('shop', 'f', 9)).toBeUndefined();
    await store.transaction((tx) => tx.deleteFlag('shop', 'f'));
    expect(await store.getFlag('shop', 'f')).toBeUndefined();
    expect((await store.listFlagVersions('shop', 'f', { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('stores segments with optimistic versions', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertSegment(segment('shop', 'beta', { definition: { description: 'Beta testers' } }));
      await tx.insertSegment(segment('shop', 'staff'));
    });
    await expect(store.transaction((tx) => tx.insertSegment(segment('shop', 'beta')))).rejects.toBeInstanceOf(
      AlreadyExistsError,
    );
    const next = segment('shop', 'beta', { version: 2, definition: { excluded: ['x'] } });
    expect(await store.transaction((tx) => tx.updateSegment(next, 1))).toBe(true);
    expect(await store.transaction((tx) => tx.updateSegment(next, 1))).toBe(false);
    expect(await store.getSegment('shop', 'beta')).toMatchObject({
      version: 2,
      definition: { excluded: ['x'] },
    });
    const found = await store.listSegments('shop', { limit: 10, offset: 0, text: 'sta' });
    expect(found.items.map((s) => s.key)).toEqual(['staff']);
    await store.transaction((tx) => tx.deleteSegment('shop', 'staff'));
    expect((await store.listSegments('shop', { limit: 10, offset: 0 })).total).toBe(1);
  });

  it('reads an environment with its live flags and segments in one snapshot', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertFlag(flag('shop', 'a'));
      await tx.insertFlag(flag('shop', 'gone', {}, { archived: true }));
      await tx.insertSegment(segment('shop', 'beta'));
    });
    const state = await store.readEnvironmentState('shop', 'production');
    expect(state?.environment.key).toBe('production');
    expect(state?.flags.map((f) => f.key)).toEqual(['a']);
    expect(state?.segments.map((s) => s.key)).toEqual(['beta']);
    expect(await store.readEnvironmentState('shop', 'nope')).toBeUndefined();
  });

  it('deletes a project with everything in it', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertFlag(flag('shop', 'a'));
      await tx.insertSegment(segment('shop', 'beta'));
      await tx.bumpEnvironmentVersions('shop', ['production']);
      await tx.deleteProject('shop');
    });
    expect(await store.getProject('shop')).toBeUndefined();
    expect(await store.listEnvironments('shop')).toEqual([]);
    expect((await store.listFlags('shop', { limit: 10, offset: 0 })).total).toBe(0);
    expect((await store.listSegments('shop', { limit: 10, offset: 0 })).total).toBe(0);
  });
}
