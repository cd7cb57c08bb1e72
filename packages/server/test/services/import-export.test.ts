import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import type { CommittedChange } from '../../src/services/index.js';
import { newTestVexil, type StoreKind, storeKinds, type TestVexil } from '../helpers/vexil.js';

const kinds: StoreKind[] = await storeKinds();

const FILE = {
  formatVersion: 1,
  segments: { beta: { included: ['u1'] } },
  flags: {
    checkout: {
      type: 'boolean',
      tags: ['payments'],
      overrides: [{ segment: 'beta', variant: 'on' }],
      environments: { production: { enabled: true } },
    },
    theme: {
      type: 'string',
      variants: { a: 'A', b: 'B' },
      defaultServe: { variant: 'a' },
      prerequisites: [{ flag: 'checkout', variants: ['on'] }],
    },
  },
};

describe.each(kinds)('import and export on %s', (kind) => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil(kind);
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('imports a project file, then exports the same flags and segments', async () => {
    const result = await t.vexil.io.import('shop', FILE, { actor: 'ci' });
    expect(result).toMatchObject({
      dryRun: false,
      flags: { created: ['checkout', 'theme'], updated: [], unchanged: [], deleted: [] },
      segments: { created: ['beta'] },
    });
    const exported = await t.vexil.io.exportProject('shop');
    expect(exported).toMatchObject({ formatVersion: 1, project: 'shop' });
    expect(exported.flags).toEqual(FILE.flags);
    expect(exported.segments).toEqual(FILE.segments);
    const again = await t.vexil.io.import('shop', exported);
    expect(again.flags).toEqual({ created: [], updated: [], unchanged: ['checkout', 'theme'], deleted: [] });
    expect((await t.vexil.flags.get('shop', 'theme')).createdBy).toBe('ci');
  });

  it('shows what would change in a dry run, and changes nothing', async () => {
    await t.vexil.io.import('shop', FILE);
    await t.vexil.flags.create('shop', 'extra');
    const changed = structuredClone(FILE) as typeof FILE & { flags: Record<string, unknown> };
    changed.flags.theme.defaultServe = { variant: 'b' };
    changed.flags.fresh = { type: 'boolean' };
    const versionBefore = (await t.vexil.environments.get('shop', 'production')).version;
    const plan = await t.vexil.io.import('shop', changed, { dryRun: true, mode: 'replace' });
    expect(plan).toMatchObject({
      dryRun: true,
      mode: 'replace',
      flags: { created: ['fresh'], updated: ['theme'], unchanged: ['checkout'], deleted: ['extra'] },
      segments: { created: [], updated: [], unchanged: ['beta'], deleted: [] },
    });
    expect(await t.vexil.flags.exists('shop', 'fresh')).toBe(false);
    expect((await t.vexil.environments.get('shop', 'production')).version).toBe(versionBefore);
    const applied = await t.vexil.io.import('shop', changed, { mode: 'replace' });
    expect(applied.flags).toEqual(plan.flags);
    expect(await t.vexil.flags.exists('shop', 'extra')).toBe(false);
    expect((await t.vexil.flags.get('shop', 'theme')).version).toBe(2);
  });

  it('applies an import as one commit, with an audit entry per flag and segment', async () => {
    const committed: CommittedChange[] = [];
    t.vexil.events.committed((c) => committed.push(c));
    await t.vexil.io.import('shop', FILE, { actor: 'ci' });
    expect(committed).toHaveLength(1);
    expect(committed[0]).toMatchObject({ flags: ['checkout', 'theme'], segments: ['beta'] });
    expect(committed[0]?.environments).toHaveLength(3);
    const audit = await t.vexil.audit.list({ project: 'shop', limit: 3 });
    expect(audit.items.map((e) => [e.action, e.resourceKey, e.comment]).sort()).toEqual([
      ['flag.create', 'checkout', 'import'],
      ['flag.create', 'theme', 'import'],
      ['segment.create', 'beta', 'import'],
    ]);
  });

  it('refuses an invalid file, naming every problem by its path in the file, and writes nothing', async () => {
    const bad = {
      flags: {
        a: { type: 'boolean', environments: { prod: { enabled: true } } },
        b: {
          type: 'boolean',
          overrides: [{ segment: 'nobody', variant: 'on' }],
          prerequisites: [{ flag: 'zz', variants: ['on'] }],
        },
        c: { type: 'string', variants: { x: 1 } },
      },
    };
    const error = await t.vexil.io.import('shop', bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues.map((i) => i.path).sort()).toEqual([
      'flags.a.environments.prod',
      'flags.b.overrides[0].segment',
      'flags.b.prerequisites[0].flag',
      'flags.c.variants.x',
    ]);
    const schema = await t.vexil.io
      .import('shop', { flags: { a: { type: 'bool' } }, extra: 1 })
      .catch((e: unknown) => e);
    expect((schema as ValidationError).issues.map((i) => i.path).sort()).toEqual(['', 'flags.a.type']);
    expect((await t.vexil.flags.list('shop')).total).toBe(0);
  });

  it('exports and imports one environment as that environment sees its flags', async () => {
    await t.vexil.io.import('shop', FILE);
    const prod = await t.vexil.io.exportEnvironment('shop', 'production');
    expect(prod).toMatchObject({
      environment: 'production',
      version: (await t.vexil.environments.get('shop', 'production')).version,
    });
    expect(prod.flags.checkout).toEqual({
      type: 'boolean',
      tags: ['payments'],
      overrides: [{ segment: 'beta', variant: 'on' }],
      enabled: true,
    });
    expect(prod.flags.checkout).not.toHaveProperty('environments');

    const staging = { ...prod, environment: 'staging' };
    staging.flags = { ...prod.flags, theme: { ...prod.flags.theme!, defaultServe: { variant: 'b' } } };
    const plan = await t.vexil.io.import('shop', staging, { dryRun: true });
    expect(plan).toMatchObject({
      environment: 'staging',
      flags: { updated: ['checkout', 'theme'], created: [], deleted: [] },
    });
    await t.vexil.io.import('shop', staging);
    const theme = await t.vexil.flags.get('shop', 'theme');
    expect(theme.definition.environments?.staging?.defaultServe).toEqual({ variant: 'b' });
    expect(theme.definition.defaultServe).toEqual({ variant: 'a' });
    const stagingSet = await t.vexil.flagSets.build('shop', 'staging', 'server');
    expect(stagingSet.flags.checkout?.enabled).toBe(true);
    expect(
      (await t.vexil.flagSets.build('shop', 'development', 'server')).flags.checkout?.enabled,
    ).toBeUndefined();
    const replace = await t.vexil.io.import('shop', staging, { mode: 'replace' }).catch((e: unknown) => e);
    expect((replace as ValidationError).issues[0]?.path).toBe('mode');
    const withEnvironments = await t.vexil.io
      .import('shop', { environment: 'staging', flags: { x: { type: 'boolean', environments: {} } } })
      .catch((e: unknown) => e);
    expect((withEnvironments as ValidationError).issues[0]?.path).toBe('flags.x.environments');
  });
});
