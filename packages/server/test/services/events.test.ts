import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChangeVetoedError } from '../../src/errors/index.js';
import { type CommittedChange, type LifecycleEvent, veto } from '../../src/services/index.js';
import { newTestVexil, type StoreKind, storeKinds, type TestVexil } from '../helpers/vexil.js';

const kinds: StoreKind[] = await storeKinds();

describe.each(kinds)('lifecycle events and the change log on %s', (kind) => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil(kind);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('lets a before-listener see the change and veto it, so nothing is written', async () => {
    await t.vexil.flags.create('shop', 'f');
    const seen: LifecycleEvent[] = [];
    t.vexil.events.before('flag.enable', (event) => {
      seen.push(event);
      return event.environment === 'production' ? veto('production is frozen') : undefined;
    });
    const error = await t.vexil.flags
      .enable('shop', 'production', 'f', { actor: 'alice' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChangeVetoedError);
    expect(error).toMatchObject({ code: 'CHANGE_VETOED', reason: 'production is frozen' });
    expect(seen[0]).toMatchObject({
      action: 'flag.enable',
      environment: 'production',
      key: 'f',
      actor: 'alice',
      version: 2,
      before: { version: 1 },
      after: { version: 2, environments: { production: { enabled: true } } },
    });
    const flag = await t.vexil.flags.get('shop', 'f');
    expect(flag.version).toBe(1);
    expect((await t.vexil.audit.list({ action: 'flag.enable' })).total).toBe(0);
    expect((await t.vexil.flags.history('shop', 'f')).total).toBe(1);
    expect((await t.vexil.environments.get('shop', 'production')).version).toBe(
      (await t.vexil.environments.get('shop', 'development')).version,
    );
    await t.vexil.flags.enable('shop', 'staging', 'f');
    expect((await t.vexil.flags.get('shop', 'f')).version).toBe(2);
  });

  it('undoes the whole change when a before-listener throws', async () => {
    t.vexil.events.before('*', () => {
      throw new Error('listener failed');
    });
    await expect(t.vexil.flags.create('shop', 'f')).rejects.toThrow('listener failed');
    expect(await t.vexil.flags.exists('shop', 'f')).toBe(false);
    expect((await t.vexil.audit.list({ resourceType: 'flag' })).total).toBe(0);
  });

  it('tells after-listeners about committed changes, and survives their failures', async () => {
    const after: string[] = [];
    let stored: number | undefined;
    t.vexil.events.after('*', (e) => {
      after.push(e.action);
    });
    t.vexil.events.after('flag.create', async (e) => {
      stored = (await t.vexil.flags.get('shop', e.key)).version;
      throw new Error('a broken listener');
    });
    const errors: unknown[] = [];
    t.vexil.events.onListenerError = (error) => errors.push(error);
    await t.vexil.flags.create('shop', 'f');
    const unsubscribe = t.vexil.events.after('flag.archive', () => {
      after.push('unsubscribed listener ran');
    });
    unsubscribe();
    await t.vexil.flags.archive('shop', 'f');
    expect(after).toEqual(['flag.create', 'flag.archive']);
    expect(stored).toBe(1);
    expect(errors).toHaveLength(1);
  });

  it('records who changed what, with before and after, in the audit log', async () => {
    await t.vexil.flags.create('shop', 'f', undefined, { actor: 'alice', comment: 'for the launch' });
    await t.vexil.flags.enable('shop', 'staging', 'f', { actor: 'bob' });
    const entries = (await t.vexil.audit.list({ project: 'shop', resourceType: 'flag' })).items;
    expect(entries.map((e) => [e.action, e.actor, e.environment, e.version])).toEqual([
      ['flag.enable', 'bob', 'staging', 2],
      ['flag.create', 'alice', null, 1],
    ]);
    expect(entries[1]).toMatchObject({
      before: null,
      after: { key: 'f', type: 'boolean' },
      comment: 'for the launch',
    });
    expect(entries[0]?.at).toBe(t.clock.iso());
  });

  it('bumps only the environments a change touches, logs the change and announces it', async () => {
    const committed: CommittedChange[] = [];
    t.vexil.events.committed((c) => committed.push(c));
    const before = await t.vexil.environments.list('shop');
    await t.vexil.flags.create('shop', 'f');
    const created = committed.at(-1)!;
    expect(created.environments.map((e) => e.environment).sort()).toEqual([
      'development',
      'production',
      'staging',
    ]);
    expect(created).toMatchObject({ project: 'shop', flags: ['f'], segments: [], action: 'flag.create' });
    for (const env of created.environments) {
      expect(env.version).toBe(created.version);
      expect(env.previousVersion).toBe(before.find((b) => b.key === env.environment)!.version);
    }

    await t.vexil.flags.enable('shop', 'production', 'f');
    const enabled = committed.at(-1)!;
    expect(enabled.environments).toEqual([
      { environment: 'production', version: enabled.version, previousVersion: created.version },
    ]);
    expect(enabled.version).toBeGreaterThan(created.version);
    expect((await t.vexil.environments.get('shop', 'production')).version).toBe(enabled.version);
    expect((await t.vexil.environments.get('shop', 'staging')).version).toBe(created.version);

    await t.vexil.segments.create('shop', 'beta', { included: ['u1'] });
    expect(committed.at(-1)).toMatchObject({ segments: ['beta'], flags: [] });
    expect(committed.at(-1)!.environments).toHaveLength(3);

    const log = await t.vexil.flagSets.changesSince('shop', 'production', 0);
    expect(log.map((c) => [c.action, c.flags, c.segments])).toEqual([
      ['project.create', [], []],
      ['flag.create', ['f'], []],
      ['flag.enable', ['f'], []],
      ['segment.create', [], ['beta']],
    ]);
    expect(log[2]).toMatchObject({ version: enabled.version, previousVersion: created.version });
  });

  it('writes nothing and announces nothing for a change that changes nothing', async () => {
    await t.vexil.flags.create('shop', 'f');
    await t.vexil.flags.enable('shop', 'staging', 'f');
    const committed: CommittedChange[] = [];
    t.vexil.events.committed((c) => committed.push(c));
    await t.vexil.flags.enable('shop', 'staging', 'f');
    expect(committed).toEqual([]);
  });
});
