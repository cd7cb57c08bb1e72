import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InUseError, NotFoundError, ValidationError, VersionConflictError } from '../../src/errors/index.js';
import { createVexil } from '../../src/services/index.js';
import { newTestVexil, type StoreKind, storeKinds, type TestVexil } from '../helpers/vexil.js';

const kinds: StoreKind[] = await storeKinds();

describe.each(kinds)('flags on %s', (kind) => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil(kind);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates a flag with its system metadata and says it exists', async () => {
    expect(await t.vexil.flags.exists('shop', 'checkout')).toBe(false);
    const flag = await t.vexil.flags.create(
      'shop',
      'checkout',
      { type: 'boolean', tags: ['payments'] },
      { actor: 'alice' },
    );
    expect(flag).toMatchObject({
      key: 'checkout',
      version: 1,
      archived: false,
      createdBy: 'alice',
      updatedBy: 'alice',
    });
    expect(flag.createdAt).toBe(t.clock.iso());
    expect(await t.vexil.flags.exists('shop', 'checkout')).toBe(true);
    expect(await t.vexil.flags.getMeta('shop', 'checkout')).toMatchObject({
      version: 1,
      createdBy: 'alice',
      metadata: {},
    });
  });

  it('refuses a second flag with the same key and a flag in a missing project', async () => {
    await t.vexil.flags.create('shop', 'checkout');
    await expect(t.vexil.flags.create('shop', 'checkout')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(t.vexil.flags.create('nope', 'checkout')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('lists flags page by page, filtered by tag, text and archived state', async () => {
    for (const key of ['a', 'b', 'c', 'd']) {
      await t.vexil.flags.create('shop', key, {
        type: 'boolean',
        tags: key < 'c' ? ['early'] : [],
        description: `flag ${key}`,
      });
    }
    await t.vexil.flags.archive('shop', 'b');
    const page = await t.vexil.flags.list('shop', { limit: 2, offset: 1 });
    expect(page.total).toBe(4);
    expect(page.items.map((f) => f.key)).toEqual(['b', 'c']);
    expect(
      (await t.vexil.flags.list('shop', { tag: 'early', archived: false })).items.map((f) => f.key),
    ).toEqual(['a']);
    expect((await t.vexil.flags.list('shop', { text: 'FLAG D' })).items.map((f) => f.key)).toEqual(['d']);
  });

  it('enables and disables a flag in one environment, leaving the others alone', async () => {
    await t.vexil.flags.create('shop', 'checkout');
    const on = await t.vexil.flags.enable('shop', 'production', 'checkout');
    expect(on.version).toBe(2);
    expect(on.definition.environments).toEqual({ production: { enabled: true } });
    const off = await t.vexil.flags.disable('shop', 'production', 'checkout');
    expect(off.definition.environments?.production?.enabled).toBe(false);
    expect(off.definition.environments?.development).toBeUndefined();
    await expect(t.vexil.flags.enable('shop', 'nowhere', 'checkout')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('rejects an invalid flag, naming every bad field', async () => {
    const error = await t.vexil.flags
      .create('shop', 'theme', {
        type: 'string',
        variants: { a: 'A', b: 2 },
        rules: [
          { conditions: [{ attribute: 'country', op: 'equal', value: 'US' }], serve: { variant: 'a' } },
        ],
        defaultServe: { variant: 'z' },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    const paths = (error as ValidationError).issues.map((i) => i.path);
    expect(paths).toEqual(['rules[0].conditions[0].op']);
    const second = await t.vexil.flags
      .create('shop', 'theme', { type: 'string', variants: { a: 'A', b: 2 }, defaultServe: { variant: 'z' } })
      .catch((e: unknown) => e);
    expect((second as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'defaultServe.variant',
      'variants.b',
    ]);
    expect(await t.vexil.flags.exists('shop', 'theme')).toBe(false);
  });

  it('refuses settings for an environment the project does not have', async () => {
    const error = await t.vexil.flags
      .create('shop', 'f', { type: 'boolean', environments: { prod: { enabled: true } } })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      { path: 'environments.prod', message: expect.stringContaining('unknown environment "prod"') },
    ]);
  });

  it('refuses prerequisites on missing flags and prerequisite cycles', async () => {
    const missing = await t.vexil.flags
      .create('shop', 'b', { type: 'boolean', prerequisites: [{ flag: 'a', variants: ['on'] }] })
      .catch((e: unknown) => e);
    expect((missing as ValidationError).issues).toEqual([
      { path: 'prerequisites[0].flag', message: 'unknown flag "a"' },
    ]);
    await t.vexil.flags.create('shop', 'a');
    await t.vexil.flags.create('shop', 'b', {
      type: 'boolean',
      prerequisites: [{ flag: 'a', variants: ['on'] }],
    });
    await t.vexil.flags.create('shop', 'c', {
      type: 'boolean',
      environments: { staging: { prerequisites: [{ flag: 'b', variants: ['on'] }] } },
    });
    const cycle = await t.vexil.flags
      .updateEnvironment('shop', 'production', 'a', { prerequisites: [{ flag: 'c', variants: ['on'] }] })
      .catch((e: unknown) => e);
    expect((cycle as ValidationError).issues[0]?.message).toBe('prerequisites form a cycle: a → c → b → a');
    const badVariant = await t.vexil.flags
      .create('shop', 'd', { type: 'boolean', prerequisites: [{ flag: 'a', variants: ['maybe'] }] })
      .catch((e: unknown) => e);
    expect((badVariant as ValidationError).issues[0]).toMatchObject({ path: 'prerequisites[0].variants[0]' });
  });

  it('fails a write that names a stale version, and writes nothing', async () => {
    await t.vexil.flags.create('shop', 'f');
    await t.vexil.flags.patch('shop', 'f', { description: 'by alice' }, { expectedVersion: 1 });
    const stale = await t.vexil.flags
      .patch('shop', 'f', { description: 'by bob' }, { expectedVersion: 1 })
      .catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(VersionConflictError);
    expect(stale).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 2 });
    expect((await t.vexil.flags.get('shop', 'f')).definition.description).toBe('by alice');
  });

  it('applies concurrent writes without a version one after another, losing none', async () => {
    await t.vexil.flags.create('shop', 'f');
    const other = createVexil({ store: t.store });
    const writers = [t.vexil, other, t.vexil, other, t.vexil];
    await Promise.all(writers.map((v, i) => v.flags.mergeMetadata('shop', 'f', { [`k${i}`]: i })));
    const flag = await t.vexil.flags.get('shop', 'f');
    expect(flag.version).toBe(6);
    expect(flag.definition.metadata).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4 });
    expect((await t.vexil.flags.history('shop', 'f')).total).toBe(6);
  });

  it('makes no new version when a write changes nothing', async () => {
    await t.vexil.flags.create('shop', 'f', { type: 'boolean', description: 'same' });
    const again = await t.vexil.flags.replace('shop', 'f', { type: 'boolean', description: 'same' });
    expect(again.version).toBe(1);
    expect((await t.vexil.audit.list({ resourceType: 'flag' })).total).toBe(1);
  });

  it('patches with JSON merge patch semantics and replaces whole definitions', async () => {
    await t.vexil.flags.create('shop', 'f', { type: 'boolean', description: 'x', owner: 'team-a' });
    const patched = await t.vexil.flags.patch('shop', 'f', {
      owner: null,
      environments: { staging: { enabled: true } },
    });
    expect(patched.definition).toEqual({
      type: 'boolean',
      description: 'x',
      environments: { staging: { enabled: true } },
    });
    const replaced = await t.vexil.flags.replace('shop', 'f', {
      type: 'boolean',
      version: 99,
      createdAt: '2020-01-01T00:00:00Z',
    });
    expect(replaced.definition).toEqual({ type: 'boolean' });
    expect(replaced.version).toBe(3);
  });

  it('archives and restores a flag, and deletes it unless another flag depends on it', async () => {
    await t.vexil.flags.create('shop', 'a');
    await t.vexil.flags.create('shop', 'b', {
      type: 'boolean',
      prerequisites: [{ flag: 'a', variants: ['on'] }],
    });
    expect((await t.vexil.flags.archive('shop', 'a')).archived).toBe(true);
    expect((await t.vexil.flags.restore('shop', 'a')).archived).toBe(false);
    await expect(t.vexil.flags.delete('shop', 'a')).rejects.toBeInstanceOf(InUseError);
    await t.vexil.flags.delete('shop', 'b');
    await t.vexil.flags.delete('shop', 'a');
    expect(await t.vexil.flags.exists('shop', 'a')).toBe(false);
  });

  it('keeps metadata: get, set and merge (null removes a key)', async () => {
    await t.vexil.flags.create('shop', 'f');
    await t.vexil.flags.setMetadata('shop', 'f', { ttl: 3600, team: 'x' });
    await t.vexil.flags.mergeMetadata('shop', 'f', { team: null, jira: 'SHOP-1' });
    expect(await t.vexil.flags.getMetadata('shop', 'f')).toEqual({ ttl: 3600, jira: 'SHOP-1' });
    expect((await t.vexil.flags.getMeta('shop', 'f')).version).toBe(3);
  });

  it('lists a flag history and rolls back to an earlier version as a new, audited version', async () => {
    await t.vexil.flags.create('shop', 'f', { type: 'boolean', description: 'one' });
    await t.vexil.flags.patch('shop', 'f', { description: 'two' });
    await t.vexil.flags.archive('shop', 'f', { actor: 'bob' });
    const history = await t.vexil.flags.history('shop', 'f');
    expect(history.items.map((v) => [v.version, v.action, v.archived])).toEqual([
      [3, 'flag.archive', true],
      [2, 'flag.update', false],
      [1, 'flag.create', false],
    ]);
    const back = await t.vexil.flags.rollback('shop', 'f', 1, { actor: 'carol' });
    expect(back).toMatchObject({
      version: 4,
      archived: false,
      definition: { description: 'one' },
      updatedBy: 'carol',
    });
    const [entry] = (await t.vexil.audit.list({ resourceKey: 'f', limit: 1 })).items;
    expect(entry).toMatchObject({ action: 'flag.rollback', actor: 'carol', version: 4 });
    expect(entry?.before).toMatchObject({ description: 'two', archived: true });
    expect(entry?.after).toMatchObject({ description: 'one', archived: false });
    await expect(t.vexil.flags.rollback('shop', 'f', 42)).rejects.toBeInstanceOf(NotFoundError);
  });
});
