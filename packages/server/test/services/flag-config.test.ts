import { evaluate, parseFlagSet } from '@vexil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, ValidationError } from '../../src/errors/index.js';
import { newTestVexil, type TestVexil } from '../helpers/vexil.js';

describe('variants, rules, targets, rollouts and experiments', () => {
  let t: TestVexil;
  const prod = { project: 'shop', environment: 'production', flag: 'theme' };
  beforeEach(async () => {
    t = await newTestVexil();
    await t.vexil.flags.create('shop', 'theme', {
      type: 'string',
      variants: { a: 'A', b: 'B' },
      defaultServe: { variant: 'a' },
    });
    await t.vexil.flags.enable('shop', 'production', 'theme');
  });
  afterEach(async () => {
    await t.dispose();
  });

  const evaluateIn = async (environment: string, context: Record<string, unknown>, now?: string) => {
    const set = parseFlagSet(await t.vexil.flagSets.build('shop', environment, 'server'));
    return evaluate(set, 'theme', context, now === undefined ? {} : { now: Date.parse(now) });
  };

  it('sets and removes variants, writing out the implicit on/off of a boolean flag', async () => {
    await t.vexil.flags.create('shop', 'flag');
    const set = await t.vexil.variants.set('shop', 'flag', 'on', true);
    expect(set.definition.variants).toEqual({ on: true, off: false });
    await t.vexil.variants.set('shop', 'theme', 'c', 'C');
    expect(await t.vexil.variants.list('shop', 'theme')).toEqual({ a: 'A', b: 'B', c: 'C' });
    await t.vexil.variants.remove('shop', 'theme', 'c');
    const used = await t.vexil.variants.remove('shop', 'theme', 'a').catch((e: unknown) => e);
    expect(used).toBeInstanceOf(ValidationError);
    expect((used as ValidationError).issues.map((i) => i.path)).toContain('defaultServe.variant');
    await expect(t.vexil.variants.set('shop', 'theme', 'n', 3)).rejects.toBeInstanceOf(ValidationError);
    await expect(t.vexil.variants.remove('shop', 'theme', 'zz')).rejects.toBeInstanceOf(NotFoundError);
  });

  it('adds, updates, moves and removes rules, giving each an id', async () => {
    const us = {
      conditions: [{ attribute: 'country', op: 'eq' as const, value: 'US' }],
      serve: { variant: 'b' },
    };
    await t.vexil.rules.add(prod, us);
    await t.vexil.rules.add(
      prod,
      { id: 'vip', conditions: [{ attribute: 'vip', op: 'eq', value: true }], serve: { variant: 'a' } },
      { index: 0 },
    );
    expect((await t.vexil.rules.list(prod)).map((r) => r.id)).toEqual(['vip', 'rule-1']);
    expect((await evaluateIn('production', { country: 'US' })).variant).toBe('b');
    await t.vexil.rules.update(prod, 'rule-1', { ...us, serve: { variant: 'a' } });
    expect((await evaluateIn('production', { country: 'US' })).variant).toBe('a');
    await t.vexil.rules.move(prod, 'vip', 5);
    expect((await t.vexil.rules.list(prod)).map((r) => r.id)).toEqual(['rule-1', 'vip']);
    await t.vexil.rules.remove(prod, 'vip');
    expect((await t.vexil.rules.list(prod)).map((r) => r.id)).toEqual(['rule-1']);
    await expect(t.vexil.rules.remove(prod, 'vip')).rejects.toBeInstanceOf(NotFoundError);
    expect(await t.vexil.rules.list({ ...prod, environment: 'staging' })).toEqual([]);
  });

  it('targets keys individually and overrides segments', async () => {
    await t.vexil.targeting.addTargets(prod, 'b', ['u1', 'u2']);
    await t.vexil.targeting.addTargets(prod, 'a', ['u2']);
    expect((await t.vexil.flags.getEnvironment('shop', 'production', 'theme')).targets).toEqual({
      b: ['u1'],
      a: ['u2'],
    });
    expect((await evaluateIn('production', { targetingKey: 'u1' })).reason).toBe('TARGETING_MATCH');
    await t.vexil.targeting.removeTargets(prod, ['u1']);
    expect((await evaluateIn('production', { targetingKey: 'u1' })).reason).toBe('DEFAULT');
    await t.vexil.targeting.removeTargets(prod, ['u2']);
    expect((await t.vexil.flags.getEnvironment('shop', 'production', 'theme')).targets).toBeUndefined();
    expect((await evaluateIn('production', { targetingKey: 'u2' })).reason).toBe('STATIC');

    await t.vexil.segments.create('shop', 'beta', { included: ['u9'] });
    await t.vexil.targeting.setOverride(prod, 'beta', 'b');
    const result = await evaluateIn('production', { targetingKey: 'u9' });
    expect(result).toMatchObject({ variant: 'b', ruleId: '$override:beta' });
    await t.vexil.targeting.removeOverride(prod, 'beta');
    expect((await evaluateIn('production', { targetingKey: 'u9' })).variant).toBe('a');
    const unknown = await t.vexil.targeting.setOverride(prod, 'nobody', 'b').catch((e: unknown) => e);
    expect((unknown as ValidationError).issues).toEqual([
      { path: 'environments.production.overrides[0].segment', message: 'unknown segment "nobody"' },
    ]);
  });

  it('rolls out by percentage, ramps linearly and follows a schedule', async () => {
    await t.vexil.rollouts.set(prod, { variants: { a: 100000, b: 0 } });
    expect((await evaluateIn('production', { targetingKey: 'u1' })).variant).toBe('a');
    await t.vexil.rollouts.setRamp(prod, {
      start: '2026-12-01T00:00:00Z',
      end: '2026-12-02T00:00:00Z',
      to: { a: 0, b: 100000 },
    });
    expect((await evaluateIn('production', { targetingKey: 'u1' }, '2026-11-30T00:00:00Z')).variant).toBe(
      'a',
    );
    expect((await evaluateIn('production', { targetingKey: 'u1' }, '2026-12-03T00:00:00Z')).variant).toBe(
      'b',
    );
    await t.vexil.rollouts.setSchedule(prod, [{ at: '2026-12-10T00:00:00Z', variants: { a: 0, b: 100000 } }]);
    const serve = await t.vexil.rollouts.get(prod);
    expect(serve?.rollout?.ramp).toBeUndefined();
    expect(serve?.rollout?.schedule).toHaveLength(1);
    expect((await evaluateIn('production', { targetingKey: 'u1' }, '2026-12-11T00:00:00Z')).variant).toBe(
      'b',
    );
    await t.vexil.rollouts.serveVariant(prod, 'b');
    await expect(t.vexil.rollouts.setRamp(prod, undefined)).rejects.toBeInstanceOf(ValidationError);

    await t.vexil.rules.add(prod, {
      id: 'us',
      conditions: [{ attribute: 'country', op: 'eq', value: 'US' }],
      serve: { variant: 'a' },
    });
    await t.vexil.rollouts.set({ ...prod, rule: 'us' }, { variants: { a: 0, b: 100000 } });
    expect(await evaluateIn('production', { targetingKey: 'x', country: 'US' })).toMatchObject({
      variant: 'b',
      reason: 'SPLIT',
      ruleId: 'us',
    });
    const bad = await t.vexil.rollouts.set(prod, { variants: { a: 10 } }).catch((e: unknown) => e);
    expect((bad as ValidationError).issues[0]?.path).toBe(
      'environments.production.defaultServe.rollout.variants',
    );
  });

  it('sets, starts, stops and lists experiments', async () => {
    t.clock.advance(0);
    await t.vexil.experiments.set(prod, {
      key: 'theme-test',
      variants: { a: 50000, b: 50000 },
      start: '2027-01-01T00:00:00Z',
    });
    expect((await t.vexil.experiments.get(prod)).status).toBe('scheduled');
    await t.vexil.experiments.start(prod);
    const running = await t.vexil.experiments.get(prod);
    expect(running).toMatchObject({ status: 'running', experiment: { start: t.clock.iso() } });
    expect(await t.vexil.experiments.list('shop')).toHaveLength(1);
    t.clock.advance(60_000);
    await t.vexil.experiments.stop(prod);
    t.clock.advance(1);
    expect((await t.vexil.experiments.get(prod)).status).toBe('ended');
    await t.vexil.experiments.remove(prod);
    await expect(t.vexil.experiments.get(prod)).rejects.toBeInstanceOf(NotFoundError);
    expect(await t.vexil.experiments.list('shop', { environment: 'production' })).toEqual([]);
  });
});
