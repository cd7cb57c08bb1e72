import { evaluate, parseFlagSet } from '@vexil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InUseError, ValidationError, VersionConflictError } from '../../src/errors/index.js';
import type { CommittedChange } from '../../src/services/index.js';
import { newTestVexil, type StoreKind, storeKinds, type TestVexil } from '../helpers/vexil.js';

const weighted = (table: string) => ({
  rollout: {
    variants: { on: 40000, off: 60000 },
    bucketBy: 'accountId',
    seed: 'checkout',
    weightedBy: table,
  },
});

describe('subject weights: the service', () => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates a table, replaces it with a new version, and keeps the version when nothing changed', async () => {
    const created = await t.vexil.subjectWeights.put('shop', 'accounts', {
      description: 'Seats per account',
      weights: { acme: 50, globex: 10 },
    });
    expect(created).toMatchObject({ created: true, table: { version: 1, createdBy: 'system' } });
    const replaced = await t.vexil.subjectWeights.put(
      'shop',
      'accounts',
      { weights: { acme: 50, globex: 12 } },
      { actor: 'alice', expectedVersion: 1 },
    );
    expect(replaced).toMatchObject({
      created: false,
      table: { version: 2, updatedBy: 'alice', definition: { weights: { acme: 50, globex: 12 } } },
    });
    expect(replaced.table.definition.description).toBeUndefined();
    const same = await t.vexil.subjectWeights.put('shop', 'accounts', { weights: { globex: 12, acme: 50 } });
    expect(same.table.version).toBe(2);
    await expect(
      t.vexil.subjectWeights.put('shop', 'accounts', { weights: {} }, { expectedVersion: 1 }),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT' });
    const list = await t.vexil.subjectWeights.list('shop', { text: 'seat' });
    expect(list.items.map((x) => x.key)).toEqual([]);
    expect((await t.vexil.subjectWeights.list('shop')).items.map((x) => x.key)).toEqual(['accounts']);
  });

  it('creates only with exists: false, and replaces only with a version or exists: true', async () => {
    await t.vexil.subjectWeights.put('shop', 'accounts', { weights: { acme: 1 } }, { exists: false });
    const taken = await t.vexil.subjectWeights
      .put('shop', 'accounts', { weights: { acme: 2 } }, { exists: false })
      .catch((e: unknown) => e);
    expect(taken).toBeInstanceOf(VersionConflictError);
    expect(taken).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 });
    for (const options of [{ expectedVersion: 1 }, { exists: true }]) {
      await expect(
        t.vexil.subjectWeights.put('shop', 'missing', { weights: { acme: 1 } }, options),
      ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 0 });
    }
    await expect(t.vexil.subjectWeights.get('shop', 'missing')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const replaced = await t.vexil.subjectWeights.put(
      'shop',
      'accounts',
      { weights: { acme: 3 } },
      { exists: true },
    );
    expect(replaced).toMatchObject({ created: false, table: { version: 2 } });
  });

  it('reports a bad key at the path key', async () => {
    const error = await t.vexil.subjectWeights
      .put('shop', 'no good', { weights: { a: 1 } })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['key']);
  });

  it('patches some subjects and leaves the others (JSON merge patch: null removes one)', async () => {
    await t.vexil.subjectWeights.put('shop', 'accounts', { weights: { acme: 50, globex: 10, initech: 30 } });
    const patched = await t.vexil.subjectWeights.patch('shop', 'accounts', {
      description: 'Seats',
      weights: { acme: 60, globex: null, hooli: 5 },
    });
    expect(patched).toMatchObject({
      version: 2,
      definition: { description: 'Seats', weights: { acme: 60, initech: 30, hooli: 5 } },
    });
    await expect(t.vexil.subjectWeights.patch('shop', 'nope', {})).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it('refuses bad tables with a path for each problem', async () => {
    const error = await t.vexil.subjectWeights
      .put('shop', 'accounts', { weights: { acme: 0, globex: 1.5, initech: 'big' }, extra: 1 })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'weights.acme',
        message: 'a subject weight must be a whole number ≥ 1 (scale fractional sizes: cents, thousands)',
      },
      {
        path: 'weights.globex',
        message: 'a subject weight must be a whole number ≥ 1 (scale fractional sizes: cents, thousands)',
      },
      {
        path: 'weights.initech',
        message: 'a subject weight must be a whole number ≥ 1 (scale fractional sizes: cents, thousands)',
      },
      { path: '', message: 'unknown field "extra"' },
    ]);
    await expect(t.vexil.subjectWeights.put('shop', 'bad key', { weights: {} })).rejects.toBeInstanceOf(
      ValidationError,
    );
    await expect(t.vexil.subjectWeights.put('nope', 'accounts', { weights: {} })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const tooHeavy = await t.vexil.subjectWeights
      .put('shop', 'accounts', { weights: { a: 9_000_000_000, b: 2_000_000_000 } })
      .catch((e: unknown) => e);
    expect((tooHeavy as ValidationError).issues).toEqual([
      { path: 'weights', message: 'the weights of a table must sum to at most 10000000000, got 11000000000' },
    ]);
  });

  it('refuses a flag weighted by a table the project lacks, naming the tables it has', async () => {
    await t.vexil.subjectWeights.put('shop', 'accounts', { weights: { acme: 1 } });
    const error = await t.vexil.flags
      .create('shop', 'billing', {
        type: 'boolean',
        environments: { production: { defaultServe: weighted('acounts') } },
      })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'environments.production.defaultServe.rollout.weightedBy',
        message: `unknown weight table "acounts"; the set's subjectWeights has "accounts"`,
      },
    ]);
    await t.vexil.flags.create('shop', 'billing', { type: 'boolean', defaultServe: weighted('accounts') });
  });

  it('refuses to delete a table a flag uses, archived or not, in any environment', async () => {
    await t.vexil.subjectWeights.put('shop', 'accounts', { weights: { acme: 1 } });
    await t.vexil.subjectWeights.put('shop', 'unused', { weights: { acme: 1 } });
    await t.vexil.flags.create('shop', 'billing', {
      type: 'boolean',
      environments: { staging: { defaultServe: weighted('accounts') } },
    });
    await t.vexil.flags.create('shop', 'old', {
      type: 'string',
      variants: { a: 'a', b: 'b' },
      experiment: { key: 'e', variants: { a: 50000, b: 50000 }, weightedBy: 'accounts' },
    });
    await t.vexil.flags.archive('shop', 'old');
    const error = await t.vexil.subjectWeights.delete('shop', 'accounts').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InUseError);
    expect((error as InUseError).usedBy).toEqual(['flag "billing"', 'flag "old"']);
    expect((error as InUseError).details).toEqual({ flags: ['billing', 'old'] });
    await t.vexil.subjectWeights.delete('shop', 'unused');
    await expect(t.vexil.subjectWeights.get('shop', 'unused')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('audits a creation with the whole table and an update with only the subjects that changed', async () => {
    await t.vexil.subjectWeights.put('shop', 'accounts', { weights: { acme: 50, globex: 10, initech: 30 } });
    await t.vexil.subjectWeights.patch(
      'shop',
      'accounts',
      { weights: { acme: 60, globex: null, hooli: 5 } },
      { actor: 'alice', comment: 'Q3 seats' },
    );
    const audit = (await t.vexil.audit.list({ resourceType: 'weightTable' })).items;
    expect(audit.map((a) => a.action)).toEqual(['weightTable.update', 'weightTable.create']);
    expect(audit[1]?.after).toMatchObject({ weights: { acme: 50, globex: 10, initech: 30 }, subjects: 3 });
    expect(audit[0]).toMatchObject({
      actor: 'alice',
      comment: 'Q3 seats',
      resourceKey: 'accounts',
      version: 2,
      before: { subjects: 3, totalWeight: 90, changedWeights: { acme: 50, globex: 10 } },
      after: { subjects: 3, totalWeight: 95, changedWeights: { acme: 60, hooli: 5 } },
    });
    expect(audit[0]?.after).not.toHaveProperty('weights');
  });
});

describe('subject weights: what SDKs get', () => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil();
    await t.vexil.subjectWeights.put('shop', 'accounts', {
      weights: { acme: 50, globex: 10, initech: 30, hooli: 10 },
    });
    await t.vexil.subjectWeights.put('shop', 'tenants', { weights: { t1: 1 } });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('puts the tables a scope’s flags use in its flag set, and no subjectWeights without any', async () => {
    expect(await t.vexil.flagSets.build('shop', 'production', 'server')).not.toHaveProperty('subjectWeights');
    await t.vexil.flags.create('shop', 'billing', {
      type: 'boolean',
      environments: { production: { enabled: true, defaultServe: weighted('accounts') } },
    });
    await t.vexil.flags.create('shop', 'banner', {
      type: 'boolean',
      clientVisible: true,
      enabled: true,
      defaultServe: weighted('tenants'),
    });
    const server = await t.vexil.flagSets.build('shop', 'production', 'server');
    expect(Object.keys(server.subjectWeights ?? {})).toEqual(['accounts', 'tenants']);
    const client = await t.vexil.flagSets.build('shop', 'production', 'client');
    expect(Object.keys(client.subjectWeights ?? {})).toEqual(['tenants']);
    // billing is weighted in production only: staging's set needs only tenants.
    const staging = await t.vexil.flagSets.build('shop', 'staging', 'server');
    expect(Object.keys(staging.subjectWeights ?? {})).toEqual(['tenants']);
    const set = parseFlagSet(server);
    expect(evaluate(set, 'billing', { accountId: 'initech' }).value).toBe(true);
    expect(evaluate(set, 'billing', { accountId: 'acme' }).value).toBe(false);
  });

  it('gives environments a new version when a table their flags use changes, and not otherwise', async () => {
    await t.vexil.flags.create('shop', 'billing', {
      type: 'boolean',
      enabled: true,
      defaultServe: weighted('accounts'),
    });
    const committed: CommittedChange[] = [];
    t.vexil.events.committed((c) => committed.push(c));
    await t.vexil.subjectWeights.patch('shop', 'tenants', { weights: { t2: 3 } });
    expect(committed).toEqual([]);
    const before = (await t.vexil.flagSets.build('shop', 'production', 'server')).version ?? 0;
    await t.vexil.subjectWeights.patch('shop', 'accounts', { weights: { acme: 200 } });
    expect(committed).toHaveLength(1);
    expect(committed[0]).toMatchObject({ action: 'weightTable.update', flags: ['billing'] });
    expect(committed[0]?.environments.map((e) => e.environment).sort()).toEqual([
      'development',
      'production',
      'staging',
    ]);
    const after = await t.vexil.flagSets.build('shop', 'production', 'server');
    expect(after.version).toBeGreaterThan(before);
    expect(after.subjectWeights?.accounts?.weights.acme).toBe(200);
  });
});

describe('subject weights: export and import', () => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil();
    await t.vexil.subjectWeights.put('shop', 'accounts', {
      description: 'Seats',
      weights: { acme: 5, z: 1 },
    });
    await t.vexil.subjectWeights.put('shop', 'spare', { weights: { x: 1 } });
    await t.vexil.flags.create('shop', 'billing', { type: 'boolean', defaultServe: weighted('accounts') });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('exports every table and imports them into another project', async () => {
    const file = await t.vexil.io.exportProject('shop');
    expect(file.subjectWeights).toEqual({
      accounts: { description: 'Seats', weights: { acme: 5, z: 1 } },
      spare: { weights: { x: 1 } },
    });
    expect((await t.vexil.io.exportEnvironment('shop', 'production')).subjectWeights).toEqual(
      file.subjectWeights,
    );
    await t.vexil.projects.create('copy', { environments: ['development', 'staging', 'production'] });
    const result = await t.vexil.io.import('copy', file);
    expect(result.subjectWeights).toEqual({
      created: ['accounts', 'spare'],
      updated: [],
      unchanged: [],
      deleted: [],
    });
    expect((await t.vexil.subjectWeights.get('copy', 'accounts')).definition).toEqual(
      file.subjectWeights?.accounts,
    );
    expect((await t.vexil.io.import('copy', file)).subjectWeights.unchanged).toEqual(['accounts', 'spare']);
  });

  it('updates and, in replace mode, deletes tables; audits each', async () => {
    const file = await t.vexil.io.exportProject('shop');
    const changed = {
      ...file,
      subjectWeights: { accounts: { weights: { acme: 6, z: 1 } }, fresh: { weights: { q: 2 } } },
    };
    const plan = await t.vexil.io.import('shop', changed, { mode: 'replace', dryRun: true });
    expect(plan.subjectWeights).toEqual({
      created: ['fresh'],
      updated: ['accounts'],
      unchanged: [],
      deleted: ['spare'],
    });
    expect((await t.vexil.subjectWeights.get('shop', 'accounts')).version).toBe(1);
    await t.vexil.io.import('shop', changed, { mode: 'replace' });
    expect((await t.vexil.subjectWeights.list('shop')).items.map((x) => [x.key, x.version])).toEqual([
      ['accounts', 2],
      ['fresh', 1],
    ]);
    const actions = (await t.vexil.audit.list({ resourceType: 'weightTable' })).items.map((a) => a.action);
    expect(actions.slice(0, 3).sort()).toEqual([
      'weightTable.create',
      'weightTable.delete',
      'weightTable.update',
    ]);
  });

  it('refuses an import whose flags name a table neither the file nor the project has', async () => {
    const error = await t.vexil.io
      .import('shop', {
        subjectWeights: {},
        flags: { other: { type: 'boolean', defaultServe: weighted('seats') } },
      })
      .catch((e: unknown) => e);
    expect((error as ValidationError).issues).toEqual([
      {
        path: 'flags.other.defaultServe.rollout.weightedBy',
        message: `unknown weight table "seats"; the set's subjectWeights has "accounts", "spare"`,
      },
    ]);
    const replace = await t.vexil.io
      .import('shop', { flags: (await t.vexil.io.exportProject('shop')).flags }, { mode: 'replace' })
      .catch((e: unknown) => e);
    expect((replace as ValidationError).issues[0]?.path).toBe(
      'flags.billing.defaultServe.rollout.weightedBy',
    );
  });
});

const kinds: StoreKind[] = await storeKinds();

// Four writers: each round one of them commits, so none needs more than the 5 attempts a change gets.
describe.each(kinds)('subject weights: concurrent creates on %s', (kind) => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil(kind);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates once under exists: false and refuses the rest with a version conflict, never ALREADY_EXISTS', async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, (_, i) =>
        t.vexil.subjectWeights.put('shop', 'accounts', { weights: { [`a${i}`]: 1 } }, { exists: false }),
      ),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results)
      if (r.status === 'rejected')
        expect(r.reason).toMatchObject({ code: 'VERSION_CONFLICT', currentVersion: 1 });
    expect((await t.vexil.subjectWeights.get('shop', 'accounts')).version).toBe(1);
  });

  it('without a precondition, creates once and replaces with the others', async () => {
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        t.vexil.subjectWeights.put('shop', 'tenants', { weights: { [`t${i}`]: 1 } }),
      ),
    );
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect((await t.vexil.subjectWeights.get('shop', 'tenants')).version).toBe(4);
  });
});
