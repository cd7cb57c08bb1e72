import { evaluate, evaluateAll, parseFlagSet } from '@vexil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/errors/index.js';
import { newTestVexil, type TestVexil } from '../helpers/vexil.js';

describe('flag sets for SDKs', () => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil();
    const v = t.vexil;
    await v.segments.create('shop', 'staff', {
      conditions: [{ attribute: 'email', op: 'endsWith', value: '@shop.test' }],
    });
    await v.segments.create('shop', 'beta', {
      included: ['u1'],
      conditions: [{ op: 'segment', value: 'staff' }],
    });
    await v.segments.create('shop', 'unused', { included: ['u2'] });
    await v.flags.create('shop', 'checkout', {
      type: 'boolean',
      clientVisible: true,
      description: 'visible to browsers',
      overrides: [{ segment: 'beta', variant: 'on' }],
      defaultServe: { variant: 'off' },
      environments: {
        production: { enabled: true },
        staging: { enabled: true, defaultServe: { variant: 'on' } },
      },
    });
    await v.flags.create('shop', 'pricing', {
      type: 'number',
      variants: { low: 1, high: 2 },
      enabled: true,
      defaultServe: { variant: 'low' },
      environments: { production: { targets: { high: ['secret-customer'] } } },
    });
    await v.flags.create('shop', 'old', { type: 'boolean', clientVisible: true, enabled: true });
    await v.flags.archive('shop', 'old');
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('builds a server flag set with the environment laid over each flag, and nothing of other environments', async () => {
    const set = await t.vexil.flagSets.build('shop', 'production', 'server');
    const env = await t.vexil.environments.get('shop', 'production');
    expect(set).toMatchObject({
      formatVersion: 1,
      project: 'shop',
      environment: 'production',
      scope: 'server',
      version: env.version,
    });
    expect(set.generatedAt).toBe(t.clock.iso());
    expect(Object.keys(set.flags)).toEqual(['checkout', 'pricing']);
    expect(set.flags.checkout).toEqual({
      type: 'boolean',
      clientVisible: true,
      description: 'visible to browsers',
      enabled: true,
      overrides: [{ segment: 'beta', variant: 'on' }],
      defaultServe: { variant: 'off' },
      version: 1,
    });
    expect(JSON.stringify(set)).not.toContain('environments');
    expect(Object.keys(set.segments ?? {})).toEqual(['beta', 'staff', 'unused']);
    const compiled = parseFlagSet(set);
    expect(evaluate(compiled, 'pricing', { targetingKey: 'secret-customer' }).value).toBe(2);
    expect(evaluate(compiled, 'checkout', { targetingKey: 'x', email: 'a@shop.test' }).value).toBe(true);
    expect(evaluate(compiled, 'checkout', { targetingKey: 'x' }).value).toBe(false);
    expect(evaluate(compiled, 'old', {}).errorCode).toBe('FLAG_NOT_FOUND');
    const staging = parseFlagSet(await t.vexil.flagSets.build('shop', 'staging', 'server'));
    expect(evaluate(staging, 'checkout', { targetingKey: 'x' }).value).toBe(true);
    const development = evaluateAll(
      parseFlagSet(await t.vexil.flagSets.build('shop', 'development', 'server')),
      {},
    );
    expect(development.find((r) => r.key === 'checkout')?.reason).toBe('DISABLED');
  });

  it('builds a client flag set with only client-visible flags and the segments they use', async () => {
    const set = await t.vexil.flagSets.build('shop', 'production', 'client');
    expect(set.scope).toBe('client');
    expect(Object.keys(set.flags)).toEqual(['checkout']);
    expect(Object.keys(set.segments ?? {})).toEqual(['beta', 'staff']);
    expect(JSON.stringify(set)).not.toContain('secret-customer');
    expect(parseFlagSet(set).keys).toEqual(['checkout']);
  });

  it('carries the new version after every change that touches the environment', async () => {
    const before = (await t.vexil.flagSets.build('shop', 'production', 'server')).version!;
    await t.vexil.flags.enable('shop', 'development', 'pricing');
    expect((await t.vexil.flagSets.build('shop', 'production', 'server')).version).toBe(before);
    await t.vexil.flags.disable('shop', 'production', 'pricing');
    const after = await t.vexil.flagSets.build('shop', 'production', 'server');
    expect(after.version).toBeGreaterThan(before);
    expect(after.flags.pricing?.enabled).toBe(false);
  });

  it('refuses an environment that does not exist', async () => {
    await expect(t.vexil.flagSets.build('shop', 'nope', 'server')).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.vexil.flagSets.build('nope', 'production', 'server')).rejects.toMatchObject({
      message: 'project "nope" not found',
    });
  });
});
