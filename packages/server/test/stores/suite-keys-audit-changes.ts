import { expect, it } from 'vitest';
import type { NewAuditEntry, Store } from '../../src/stores/index.js';
import { apiKey, environment, flag, project, segment, T0, T1, weightTable } from './fixtures.js';
import type { TestStore } from './store-suite.js';

async function seed(store: Store): Promise<void> {
  await store.migrate();
  await store.transaction(async (tx) => {
    await tx.insertProject(project('shop'));
    await tx.insertEnvironment(environment('shop', 'development'));
    await tx.insertEnvironment(environment('shop', 'production'));
  });
}

function audit(extra: Partial<NewAuditEntry>): NewAuditEntry {
  return {
    at: T1,
    actor: 'alice',
    action: 'flag.update',
    resourceType: 'flag',
    project: 'shop',
    environment: null,
    resourceKey: 'f',
    version: 2,
    before: { enabled: false },
    after: { enabled: true },
    comment: null,
    ...extra,
  };
}

export function keyAuditChangeTests(get: () => TestStore): void {
  it('finds API keys by hash and lists only the active ones unless asked', async () => {
    const { store } = get();
    await seed(store);
    await store.transaction(async (tx) => {
      await tx.insertApiKey(apiKey('k1'));
      await tx.insertApiKey(apiKey('k2', { revokedAt: T0 }));
      await tx.insertApiKey(apiKey('k3', { expiresAt: T0 }));
      await tx.insertApiKey(apiKey('k4', { kind: 'admin', project: null, environment: null, expiresAt: T1 }));
    });
    expect(await store.getApiKeyByHash('hash-k1')).toMatchObject({
      id: 'k1',
      kind: 'server',
      project: 'shop',
    });
    expect(await store.getApiKeyByHash('hash-none')).toBeUndefined();
    const now = '2026-11-25T10:30:00.000Z';
    const active = await store.listApiKeys({ limit: 10, offset: 0, now });
    expect(active.items.map((k) => k.id)).toEqual(['k1', 'k4']);
    const servers = await store.listApiKeys({
      limit: 10,
      offset: 0,
      now,
      kind: 'server',
      includeInactive: true,
    });
    expect(servers.items.map((k) => k.id)).toEqual(['k1', 'k2', 'k3']);
    await store.transaction(async (tx) =>
      tx.updateApiKey({ ...apiKey('k1'), revokedAt: T1, replacedBy: 'k9' }),
    );
    expect(await store.getApiKey('k1')).toMatchObject({ revokedAt: T1, replacedBy: 'k9' });
    await store.touchApiKey('k4', T1);
    expect((await store.getApiKey('k4'))?.lastUsedAt).toBe(T1);
  });

  it('appends audit entries with increasing ids and lists them newest first, filtered', async () => {
    const { store } = get();
    await seed(store);
    const ids = await store.transaction(async (tx) => [
      await tx.appendAudit(audit({ action: 'flag.create', before: null })),
      await tx.appendAudit(audit({ environment: 'production' })),
      await tx.appendAudit(audit({ resourceType: 'segment', resourceKey: 'beta', after: null })),
    ]);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    expect(ids[2]).toBeGreaterThan(ids[1]!);
    const all = await store.listAudit({ limit: 10, offset: 0 });
    expect(all.items.map((e) => e.id)).toEqual([...ids].reverse());
    expect(all.items[2]).toMatchObject({ action: 'flag.create', before: null, after: { enabled: true } });
    const flagOnly = await store.listAudit({ limit: 10, offset: 0, resourceType: 'flag', resourceKey: 'f' });
    expect(flagOnly.total).toBe(2);
    const prod = await store.listAudit({ limit: 10, offset: 0, environment: 'production' });
    expect(prod.items.map((e) => e.id)).toEqual([ids[1]]);
    const created = await store.listAudit({ limit: 1, offset: 0, action: 'flag.create', project: 'shop' });
    expect(created).toMatchObject({ total: 1, items: [{ id: ids[0] }] });
  });

  it('gives each commit a version above every earlier one, per environment, with a change log', async () => {
    const { store } = get();
    await seed(store);
    const first = await store.transaction((tx) =>
      tx.bumpEnvironmentVersions('shop', ['production', 'development']),
    );
    expect(first.previous).toEqual(
      new Map([
        ['development', 0],
        ['production', 0],
      ]),
    );
    const second = await store.transaction((tx) => tx.bumpEnvironmentVersions('shop', ['production']));
    expect(second.version).toBeGreaterThan(first.version);
    expect(second.previous.get('production')).toBe(first.version);
    expect((await store.getEnvironment('shop', 'production'))?.version).toBe(second.version);
    expect((await store.getEnvironment('shop', 'development'))?.version).toBe(first.version);
    await store.transaction(async (tx) => {
      for (const [version, previousVersion] of [
        [first.version, 0],
        [second.version, first.version],
      ] as const) {
        await tx.appendChange({
          project: 'shop',
          environment: 'production',
          version,
          previousVersion,
          action: 'flag.update',
          flags: ['a', 'b'],
          segments: version === second.version ? ['beta'] : [],
          at: T1,
        });
      }
    });
    const changes = await store.listChanges('shop', 'production', 0, 10);
    expect(changes.map((c) => c.version)).toEqual([first.version, second.version]);
    expect(changes[1]).toMatchObject({
      previousVersion: first.version,
      flags: ['a', 'b'],
      segments: ['beta'],
    });
    expect(await store.listChanges('shop', 'production', first.version, 10)).toHaveLength(1);
  });

  it('never hands out a version twice, even after an environment is deleted and created again', async () => {
    const { store } = get();
    await seed(store);
    const before = await store.transaction((tx) => tx.bumpEnvironmentVersions('shop', ['production']));
    await store.transaction(async (tx) => {
      await tx.deleteEnvironment('shop', 'production');
      await tx.insertEnvironment(environment('shop', 'production'));
    });
    const after = await store.transaction((tx) => tx.bumpEnvironmentVersions('shop', ['production']));
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.previous.get('production')).toBe(0);
  });

  it('orders concurrent commits to one environment', async () => {
    const t = get();
    await seed(t.store);
    const other = t.store.dialect === 'postgres' ? await t.reopen() : t.store;
    try {
      const bump = (store: Store) =>
        store.transaction((tx) => tx.bumpEnvironmentVersions('shop', ['production', 'development']));
      const results = await Promise.all([bump(t.store), bump(other), bump(t.store), bump(other)]);
      const versions = results.map((r) => r.version);
      expect(new Set(versions).size).toBe(4);
      // Each commit saw the previous one's version: the chain has no gaps or forks.
      const byVersion = [...results].sort((a, b) => a.version - b.version);
      byVersion.slice(1).forEach((r, i) => {
        expect(r.previous.get('production')).toBe(byVersion[i]!.version);
      });
      expect((await t.store.getEnvironment('shop', 'production'))?.version).toBe(Math.max(...versions));
    } finally {
      if (other !== t.store) await other.close();
    }
  });

  it('reads what changed in an environment after a version: its change log, and the records the project changes name', async () => {
    const { store } = get();
    await seed(store);
    const commit = (environments: string[], flags: string[], segments: string[]) =>
      store.transaction(async (tx) => {
        const { version, previous } = await tx.bumpEnvironmentVersions('shop', environments);
        for (const [env, previousVersion] of previous)
          await tx.appendChange({
            project: 'shop',
            environment: env,
            version,
            previousVersion,
            action: 'flag.update',
            flags,
            segments,
            at: T1,
          });
        return version;
      });
    await store.transaction(async (tx) => {
      await tx.insertWeightTable(weightTable('shop', 'accounts'));
      await tx.insertWeightTable(weightTable('shop', 'unused'));
      await tx.insertSegment(segment('shop', 'beta'));
    });
    const v1 = await commit(['production', 'development'], ['a'], []);
    await store.transaction((tx) => tx.insertFlag(flag('shop', 'a')));
    await store.transaction((tx) =>
      tx.insertFlag(
        flag('shop', 'b', {
          environments: {
            production: { defaultServe: { rollout: { variants: { on: 100_000 }, weightedBy: 'accounts' } } },
          },
        } as never),
      ),
    );
    const v2 = await commit(['production'], ['b', 'gone'], ['beta']);
    const v3 = await commit(['development'], ['a'], []);

    const after1 = (await store.readEnvironmentChanges('shop', 'production', v1, 100))!;
    expect(after1.environment).toMatchObject({ key: 'production', version: v2 });
    expect(after1.changes.map((c) => [c.environment, c.version, c.previousVersion])).toEqual([
      ['production', v2, v1],
      ['development', v3, v1],
    ]);
    expect(after1.flags.map((f) => f.key).sort()).toEqual(['a', 'b']); // 'gone' has no record
    expect(after1.flags.find((f) => f.key === 'b')?.definition).toMatchObject({ type: 'boolean' });
    expect(after1.segments.map((s) => s.key)).toEqual(['beta']);
    expect(after1.segments[0]?.definition).toEqual({ included: ['u1'] });
    expect(after1.weightTables.map((t) => t.key)).toEqual(['accounts']);

    const after0 = (await store.readEnvironmentChanges('shop', 'production', 0, 100))!;
    expect(after0.changes.map((c) => c.version)).toEqual([v1, v1, v2, v3]);
    const limited = (await store.readEnvironmentChanges('shop', 'production', 0, 2))!;
    expect(limited.changes.map((c) => c.version)).toEqual([v1, v1]);
    expect(limited.flags.map((f) => f.key)).toEqual(['a']);
    expect(limited.weightTables).toEqual([]);

    const current = (await store.readEnvironmentChanges('shop', 'production', v3, 100))!;
    expect(current).toMatchObject({ changes: [], flags: [], segments: [], weightTables: [] });
    expect(current.environment.version).toBe(v2);
    expect(await store.readEnvironmentChanges('shop', 'nowhere', 0, 100)).toBeUndefined();
  });
}
