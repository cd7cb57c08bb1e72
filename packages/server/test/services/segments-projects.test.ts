import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InUseError, ValidationError } from '../../src/errors/index.js';
import type { CommittedChange } from '../../src/services/index.js';
import { newTestVexil, type TestVexil } from '../helpers/vexil.js';

describe('segments', () => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates, includes, excludes and patches segments, each change a new version', async () => {
    const created = await t.vexil.segments.create('shop', 'beta', { description: 'Beta', included: ['u1'] });
    expect(created.version).toBe(1);
    await t.vexil.segments.include('shop', 'beta', ['u2', 'u3']);
    await t.vexil.segments.exclude('shop', 'beta', ['u1']);
    const patched = await t.vexil.segments.patch('shop', 'beta', { description: null });
    expect(patched).toMatchObject({ version: 4, definition: { included: ['u2', 'u3'], excluded: ['u1'] } });
    expect(patched.definition.description).toBeUndefined();
    expect((await t.vexil.segments.list('shop', { text: 'bet' })).items.map((s) => s.key)).toEqual(['beta']);
    await expect(t.vexil.segments.replace('shop', 'beta', {}, { expectedVersion: 1 })).rejects.toMatchObject({
      code: 'VERSION_CONFLICT',
    });
  });

  it('refuses unknown segment references and loops, and bad condition values', async () => {
    await t.vexil.segments.create('shop', 'a', { included: ['u1'] });
    await t.vexil.segments.create('shop', 'b', { conditions: [{ op: 'segment', value: 'a' }] });
    const loop = await t.vexil.segments
      .replace('shop', 'a', { conditions: [{ op: 'segment', value: 'b' }] })
      .catch((e: unknown) => e);
    expect((loop as ValidationError).issues[0]?.message).toMatch(/segments form a cycle/);
    const bad = await t.vexil.segments
      .create('shop', 'c', {
        conditions: [
          { attribute: 'age', op: 'gt', value: 'old' },
          { op: 'segment', value: 'zz' },
        ],
      })
      .catch((e: unknown) => e);
    expect((bad as ValidationError).issues.map((i) => i.path)).toEqual([
      'conditions[0].value',
      'conditions[1].value',
    ]);
    const schema = await t.vexil.segments.create('shop', 'd', { include: ['x'] }).catch((e: unknown) => e);
    expect((schema as ValidationError).issues).toEqual([{ path: '', message: 'unknown field "include"' }]);
  });

  it('refuses to delete a segment that a flag or another segment uses', async () => {
    await t.vexil.segments.create('shop', 'beta', { included: ['u1'] });
    await t.vexil.segments.create('shop', 'outer', { conditions: [{ op: 'segment', value: 'beta' }] });
    await t.vexil.flags.create('shop', 'f', {
      type: 'boolean',
      environments: {
        production: {
          rules: [{ conditions: [{ op: 'segment', values: ['beta'] }], serve: { variant: 'on' } }],
        },
      },
    });
    const error = await t.vexil.segments.delete('shop', 'beta').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InUseError);
    expect((error as InUseError).usedBy).toEqual(['flag "f"', 'segment "outer"']);
    await t.vexil.segments.delete('shop', 'outer');
    expect(await t.vexil.segments.exists('shop', 'outer')).toBe(false);
  });
});

describe('projects and environments', () => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil('sqlite', { project: false });
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates a project with development and production unless told otherwise', async () => {
    const project = await t.vexil.projects.create(
      'shop',
      { name: 'Shop', metadata: { team: 'web' } },
      { actor: 'alice' },
    );
    expect(project).toMatchObject({
      key: 'shop',
      name: 'Shop',
      createdBy: 'alice',
      metadata: { team: 'web' },
    });
    expect((await t.vexil.environments.list('shop')).map((e) => e.key)).toEqual([
      'development',
      'production',
    ]);
    await t.vexil.projects.create('blog', { environments: [] });
    expect(await t.vexil.environments.list('blog')).toEqual([]);
    expect((await t.vexil.projects.list()).items.map((p) => p.key)).toEqual(['blog', 'shop']);
    await expect(t.vexil.projects.create('bad key!')).rejects.toBeInstanceOf(ValidationError);
    await expect(t.vexil.flags.create('shop', 'bad key!')).rejects.toMatchObject({
      issues: [{ path: 'key' }],
    });
    await t.vexil.projects.mergeMetadata('shop', { team: null, tier: 1 });
    expect(await t.vexil.projects.getMetadata('shop')).toEqual({ tier: 1 });
    expect((await t.vexil.projects.update('shop', { description: 'Our shop' })).description).toBe('Our shop');
  });

  it('adds environments after the others, renames them, and deletes them with their flag settings and keys', async () => {
    await t.vexil.projects.create('shop');
    const staging = await t.vexil.environments.create('shop', 'staging', { name: 'Staging' });
    expect(staging.position).toBe(2);
    expect((await t.vexil.environments.update('shop', 'staging', { position: 1 })).position).toBe(1);
    await t.vexil.flags.create('shop', 'f');
    await t.vexil.flags.enable('shop', 'staging', 'f');
    await t.vexil.flags.enable('shop', 'production', 'f');
    const key = await t.vexil.keys.create({ kind: 'server', project: 'shop', environment: 'staging' });
    const committed: CommittedChange[] = [];
    t.vexil.events.committed((c) => committed.push(c));
    await t.vexil.environments.delete('shop', 'staging');
    expect(await t.vexil.environments.exists('shop', 'staging')).toBe(false);
    const flag = await t.vexil.flags.get('shop', 'f');
    expect(flag.definition.environments).toEqual({ production: { enabled: true } });
    expect((await t.vexil.keys.get(key.key.id)).status).toBe('revoked');
    // The flag's new version reaches the other environments' flag sets: they get a new version.
    expect(committed).toHaveLength(1);
    expect(committed[0]).toMatchObject({ removedEnvironments: ['staging'], flags: ['f'] });
    expect(committed[0]!.environments.map((e) => e.environment).sort()).toEqual([
      'development',
      'production',
    ]);
    const changes = await t.vexil.flagSets.changesSince('shop', 'production', 0);
    expect(changes.at(-1)).toMatchObject({ action: 'environment.delete', flags: ['f'] });
    await t.vexil.environments.create('shop', 'staging');
    expect((await t.vexil.flags.get('shop', 'f')).definition.environments?.staging).toBeUndefined();
  });

  it('deletes a project with everything in it and revokes its keys', async () => {
    await t.vexil.projects.create('shop');
    await t.vexil.flags.create('shop', 'f');
    const key = await t.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'production' });
    await t.vexil.projects.delete('shop');
    expect(await t.vexil.projects.exists('shop')).toBe(false);
    expect((await t.vexil.keys.get(key.key.id)).status).toBe('revoked');
    expect(await t.vexil.keys.authenticate(key.secret)).toBeUndefined();
    await t.vexil.projects.create('shop');
    expect((await t.vexil.flags.list('shop')).total).toBe(0);
  });
});
