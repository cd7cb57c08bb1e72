import { expect, it } from 'vitest';
import { AlreadyExistsError } from '../../src/errors/index.js';
import type { Store } from '../../src/stores/index.js';
import { apiKey, environment, flag, project, segment, weightTable } from './fixtures.js';
import type { TestStore } from './store-suite.js';

async function seed(store: Store): Promise<void> {
  await store.migrate();
  await store.transaction(async (tx) => {
    await tx.insertProject(project('shop'));
    await tx.insertEnvironment(environment('shop', 'production'));
  });
}

const all = { limit: 100, offset: 0 };

export function weightTableTests(get: () => TestStore): void {
  it('round-trips a weight table exactly, subject order and odd subject names included', async () => {
    const { store } = get();
    await seed(store);
    const weights: Record<string, number> = { zeta: 3, '': 1, 'acme "inc"': 9_999_999_000, café: 2, '😀': 5 };
    for (let i = 0; i < 500; i++) weights[`account-${i}`] = 1 + i;
    const record = weightTable('shop', 'accounts', { definition: { description: 'Seats', weights } });
    await store.transaction((tx) => tx.insertWeightTable(record));
    const read = await store.getWeightTable('shop', 'accounts');
    expect(read).toEqual(record);
    expect(Object.keys(read!.definition.weights)).toEqual(Object.keys(weights));
    expect(await store.getWeightTable('shop', 'nope')).toBeUndefined();
    expect(await store.getWeightTable('other', 'accounts')).toBeUndefined();
  });

  it('stores weight tables with optimistic versions, lists and searches them, deletes them', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertWeightTable(
        weightTable('shop', 'accounts', { definition: { description: 'Seats', weights: {} } }),
      );
      await tx.insertWeightTable(weightTable('shop', 'tenants'));
    });
    await expect(
      store.transaction((tx) => tx.insertWeightTable(weightTable('shop', 'tenants'))),
    ).rejects.toBeInstanceOf(AlreadyExistsError);
    const next = weightTable('shop', 'tenants', { version: 2, definition: { weights: { initech: 4 } } });
    expect(await store.transaction((tx) => tx.updateWeightTable(next, 1))).toBe(true);
    expect(await store.transaction((tx) => tx.updateWeightTable(next, 1))).toBe(false);
    expect(await store.getWeightTable('shop', 'tenants')).toMatchObject({
      version: 2,
      definition: { weights: { initech: 4 } },
    });
    const listed = await store.listWeightTables('shop', { limit: 1, offset: 0 });
    expect({ keys: listed.items.map((t) => t.key), total: listed.total }).toEqual({
      keys: ['accounts'],
      total: 2,
    });
    const found = await store.listWeightTables('shop', { ...all, text: 'SEAT' });
    expect(found.items.map((t) => t.key)).toEqual(['accounts']);
    await store.transaction((tx) => tx.deleteWeightTable('shop', 'accounts'));
    expect((await store.listWeightTables('shop', all)).items.map((t) => t.key)).toEqual(['tenants']);
  });

  it('reads an environment with its weight tables in one snapshot', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertFlag(flag('shop', 'a'));
      await tx.insertSegment(segment('shop', 'beta'));
      await tx.insertWeightTable(weightTable('shop', 'tenants'));
      await tx.insertWeightTable(weightTable('shop', 'accounts'));
    });
    const state = await store.readEnvironmentState('shop', 'production');
    expect(state?.weightTables.map((t) => t.key)).toEqual(['accounts', 'tenants']);
    expect(state?.weightTables[0]?.definition).toEqual({ weights: { acme: 50, globex: 10 } });
  });

  it('deletes a project with its weight tables', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertWeightTable(weightTable('shop', 'accounts'));
      await tx.deleteProject('shop');
    });
    expect((await store.listWeightTables('shop', all)).total).toBe(0);
    await store.transaction((tx) => tx.insertProject(project('shop')));
    expect(await store.getWeightTable('shop', 'accounts')).toBeUndefined();
  });

  it('adds the weight tables to a database migrated before they existed, keeping its data', async () => {
    const t = get();
    await seed(t.store);
    await t.store.transaction((tx) => tx.insertFlag(flag('shop', 'a')));
    // Back to schema 2, as a server of the previous release left it.
    await t.execRaw('DROP TABLE weight_tables');
    await t.execRaw('DELETE FROM vexil_migrations WHERE version = 3');
    expect(await t.store.migrationStatus()).toMatchObject({ current: 2 });
    await expect(t.store.assertSchemaCurrent()).rejects.toThrow(/version 2/);
    const outcome = await t.store.migrate();
    expect(outcome.applied).toEqual([3]);
    await t.store.transaction((tx) => tx.insertWeightTable(weightTable('shop', 'accounts')));
    expect(await t.store.getFlag('shop', 'a')).toBeDefined();
    expect((await t.store.listWeightTables('shop', all)).total).toBe(1);
  });

  it('sees a commit made while a consistent read of an environment is under way', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      for (let i = 0; i < 20; i++) await tx.insertFlag(flag('shop', `f${i}`));
      await tx.insertWeightTable(weightTable('shop', 'accounts'));
    });
    for (let round = 0; round < 5; round++) {
      const reading = store.readEnvironmentState('shop', 'production');
      await Promise.resolve();
      await store.transaction((tx) => tx.insertApiKey(apiKey(`k${round}`, { hash: `h${round}` })));
      expect(await store.getApiKey(`k${round}`)).toBeDefined();
      await reading;
    }
  });
}
