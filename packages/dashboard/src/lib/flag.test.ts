import { describe, expect, it } from 'vitest';
import { buildCondition, draftCondition } from './conditions.js';
import {
  describeCondition,
  describeServe,
  effectiveConfig,
  parseVariantValue,
  servingDefaults,
  splitValues,
} from './flag.js';

describe('effectiveConfig', () => {
  it('lays the environment’s own settings over the flag-level ones and says which are its own', () => {
    const flag = {
      type: 'boolean' as const,
      enabled: true,
      rules: [{ conditions: [], serve: { variant: 'on' } }],
      environments: { production: { enabled: false } },
    };
    const prod = effectiveConfig(flag, 'production');
    expect(prod.config.enabled).toBe(false);
    expect(prod.config.rules).toHaveLength(1);
    expect([...prod.own]).toEqual(['enabled']);
    expect(effectiveConfig(flag, 'staging').config.enabled).toBe(true);
  });

  it('gives a boolean flag without variants its implicit off and on', () => {
    expect(servingDefaults({ type: 'boolean' }, {})).toMatchObject({
      offVariant: 'off',
      defaultServe: { variant: 'on' },
    });
    expect(servingDefaults({ type: 'string', variants: { a: 'a' } }, {})).toMatchObject({
      offVariant: undefined,
    });
  });
});

describe('words for conditions and serves', () => {
  it('describes conditions as phrases', () => {
    expect(describeCondition({ attribute: 'country', op: 'in', values: ['US', 'CA'] })).toBe(
      'country is one of "US", "CA"',
    );
    expect(describeCondition({ attribute: 'plan', op: 'eq', value: 'free', negate: true })).toBe(
      'not (plan is "free")',
    );
    expect(describeCondition({ op: 'segment', values: ['beta'] })).toBe('context is in segment "beta"');
  });

  it('describes a rollout by its split', () => {
    expect(describeServe({ rollout: { variants: { on: 25_000, off: 75_000 } } })).toBe(
      'rollout off 75% · on 25%',
    );
    expect(describeServe({ variant: 'on' })).toBe('variant on');
  });
});

describe('typed input', () => {
  it('reads variant values for the flag’s type', () => {
    expect(parseVariantValue('number', '42')).toBe(42);
    expect(parseVariantValue('json', '{"a":1}')).toEqual({ a: 1 });
    expect(() => parseVariantValue('boolean', 'yes')).toThrow(/true or false/);
    expect(() => parseVariantValue('number', 'x')).toThrow(/not a number/);
  });

  it('types comparison values but keeps quoted ones as strings', () => {
    expect(splitValues('42, true, "42", US', true)).toEqual([42, true, '42', 'US']);
    expect(splitValues('42, US', false)).toEqual(['42', 'US']);
  });

  it('builds conditions from form rows and back', () => {
    const condition = buildCondition({
      key: 1,
      attribute: ' seats ',
      op: 'gt',
      values: '100',
      negate: false,
    });
    expect(condition).toEqual({ attribute: 'seats', op: 'gt', value: 100 });
    expect(buildCondition({ key: 2, attribute: 'country', op: 'in', values: 'US', negate: true })).toEqual({
      attribute: 'country',
      op: 'in',
      values: ['US'],
      negate: true,
    });
    expect(
      buildCondition({ key: 3, attribute: 'email', op: 'exists', values: 'ignored', negate: false }),
    ).toEqual({
      attribute: 'email',
      op: 'exists',
    });
    const roundTrip = draftCondition({ attribute: 'code', op: 'eq', value: '42' });
    expect(buildCondition(roundTrip)).toEqual({ attribute: 'code', op: 'eq', value: '42' });
  });
});
