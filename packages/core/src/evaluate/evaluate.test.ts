import { describe, expect, it } from 'vitest';
import type { CompiledFlagSet } from '../compile/flag-set.js';
import { parseFlagSet } from '../parse/parse-flag-set.js';
import type { FlagSetInput } from '../schema/flag-set.js';
import { evaluate, evaluateAll } from './evaluate.js';

const definition: FlagSetInput = {
  environment: 'production',
  segments: { staff: { included: ['s-1'] } },
  flags: {
    base: { type: 'boolean', enabled: true, clientVisible: true },
    checkout: {
      type: 'string',
      variants: { a: 'A', b: 'B', c: 'C' },
      enabled: true,
      prerequisites: [{ flag: 'base', variants: ['on'] }],
      targets: { a: ['t-1'] },
      overrides: [{ segment: 'staff', variant: 'b' }],
      experiment: { key: 'exp', start: '2026-01-01T00:00:00Z', variants: { a: 100000 } },
      rules: [
        {
          id: 'pro',
          conditions: [
            { attribute: 'plan', op: 'eq', value: 'pro' },
            { attribute: 'seats', op: 'gt', value: 10 },
          ],
          serve: { variant: 'b' },
        },
        { conditions: [{ attribute: 'country', op: 'in', values: ['FR'] }], serve: { variant: 'a' } },
      ],
      defaultServe: { variant: 'c' },
      environments: { staging: { enabled: false, offVariant: 'a' } },
    },
    archived: { type: 'boolean', enabled: true, archived: true, clientVisible: true },
    secret: { type: 'number', variants: { n: 7 }, enabled: true, defaultServe: { variant: 'n' } },
    later: { type: 'boolean', clientVisible: true },
  },
};
const set = parseFlagSet(definition);

describe('evaluate: trace', () => {
  it('explains every step it took, with each condition and the value it looked at', () => {
    const result = evaluate(
      set,
      'checkout',
      { targetingKey: 'u', plan: 'pro', seats: 5, country: 'FR' },
      { trace: true },
    );
    expect(result).toMatchObject({ value: 'A', variant: 'a', reason: 'TARGETING_MATCH', ruleId: '1' });
    expect(result.trace?.map((s) => [s.step, s.id, s.matched])).toEqual([
      ['prerequisite', 'base', false],
      ['target', undefined, false],
      ['override', 'staff', false],
      ['experiment', 'exp', false],
      ['rule', 'pro', false],
      ['rule', '1', true],
    ]);
    const [plan, seats] = result.trace?.[4]?.conditions ?? [];
    expect(plan).toEqual({
      attribute: 'plan',
      op: 'eq',
      values: ['pro'],
      negate: false,
      actual: 'pro',
      result: true,
    });
    expect(seats).toEqual({
      attribute: 'seats',
      op: 'gt',
      values: [10],
      negate: false,
      actual: 5,
      result: false,
    });
    expect(result.trace?.[4]?.detail).toBe('rule "pro" did not match: condition 1 is false');
    expect(result.trace?.[3]?.detail).toBe('experiment "exp" is not running');
  });

  it('stops at the step that decided', () => {
    const result = evaluate(set, 'checkout', { targetingKey: 't-1' }, { trace: true });
    expect(result.trace?.map((s) => s.step)).toEqual(['prerequisite', 'target']);
    expect(result.trace?.at(-1)).toMatchObject({
      matched: true,
      detail: 'targeting key "t-1" is targeted to "a"',
    });
  });

  it('explains a disabled flag and a flag with nothing to decide in one step', () => {
    expect(evaluate(set, 'later', {}, { trace: true }).trace).toEqual([
      { step: 'disabled', matched: true, detail: 'disabled: serves "off"' },
    ]);
    expect(evaluate(set, 'base', {}, { trace: true }).trace).toEqual([
      { step: 'default', matched: true, detail: 'enabled with nothing to decide: serves "on"' },
    ]);
  });

  it('does not change the result, and is absent unless asked for', () => {
    const context = { targetingKey: 'u', plan: 'pro', seats: 50 };
    const { trace, ...traced } = evaluate(set, 'checkout', context, { trace: true });
    expect(trace).toBeDefined();
    const plain = evaluate(set, 'checkout', context, {});
    expect(plain.trace).toBeUndefined();
    expect({ ...plain, trace: undefined }).toEqual({ ...traced, trace: undefined });
  });
});

describe('evaluate: environments', () => {
  it("evaluates the set's environment when none is named", () => {
    expect(evaluate(set, 'checkout', {}, { defaultValue: 'x' })).toMatchObject({
      value: 'C',
      reason: 'DEFAULT',
    });
  });

  it('evaluates the named environment', () => {
    expect(evaluate(set, 'checkout', {}, { environment: 'staging', defaultValue: 'x' })).toMatchObject({
      value: 'A',
      variant: 'a',
      reason: 'DISABLED',
    });
  });

  it('exposes the environment evaluated by default', () => {
    expect(set.environment).toBe('production');
    expect(parseFlagSet({ flags: {} }).environment).toBe('default');
  });
});

describe('evaluate: inputs', () => {
  it('accepts a raw definition, validating it once', () => {
    expect(evaluate(definition, 'secret', {}, { defaultValue: 0 })).toMatchObject({
      value: 7,
      reason: 'STATIC',
    });
  });

  it('answers PARSE_ERROR for a raw definition that is not a valid flag set', () => {
    const result = evaluate(
      { flags: { f: { type: 'boolean', enabled: 'yes' } } } as never,
      'f',
      {},
      { defaultValue: true },
    );
    expect(result).toMatchObject({ value: true, reason: 'ERROR', errorCode: 'PARSE_ERROR' });
    expect(result.errorMessage).toContain('flags.f.enabled: expected boolean, got string');
  });

  it('does not take an object that merely looks like a parsed set for one', () => {
    const environment = (set as CompiledFlagSet).compiled('production');
    const lookalike = { defaultEnvironment: environment, compiled: () => environment };
    expect(evaluate(lookalike as never, 'secret', {}, { defaultValue: 0 })).toMatchObject({
      value: 0,
      errorCode: 'PARSE_ERROR',
    });
  });

  it('answers PARSE_ERROR when given no flag set at all', () => {
    expect(evaluate(undefined as never, 'f', {}, { defaultValue: 1 })).toMatchObject({
      value: 1,
      errorCode: 'PARSE_ERROR',
    });
  });

  it('treats a null or missing context as empty', () => {
    expect(evaluate(set, 'secret', null as never, { defaultValue: 0 })).toMatchObject({ value: 7 });
    expect(evaluate(set, 'secret', undefined, { defaultValue: 0 })).toMatchObject({ value: 7 });
  });

  it('answers INVALID_CONTEXT for a context that is not an object', () => {
    for (const context of [[], 'user-1', 42, true]) {
      expect(evaluate(set, 'secret', context as never, { defaultValue: 0 })).toMatchObject({
        value: 0,
        reason: 'ERROR',
        errorCode: 'INVALID_CONTEXT',
      });
    }
  });

  it('checks the type given as an option when there is no default value', () => {
    expect(evaluate(set, 'secret', {}, { type: 'string' })).toMatchObject({ errorCode: 'TYPE_MISMATCH' });
    expect(evaluate(set, 'secret', {}, { type: 'number' })).toMatchObject({ value: 7 });
  });

  it('takes null options (from JavaScript) as no options', () => {
    expect(evaluate(set, 'secret', {}, null as never)).toMatchObject({
      value: 7,
      variant: 'n',
      reason: 'STATIC',
    });
    expect(evaluateAll(set, {}, null as never).map((r) => r.errorCode)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('serves a flag that is the same for everyone as one shared result, after checking the type and context', () => {
    const first = evaluate(set, 'secret', { targetingKey: 'a' }, { defaultValue: 0 });
    expect(evaluate(set, 'secret', { targetingKey: 'b', plan: 'pro' }, { defaultValue: 1 })).toBe(first);
    expect(first).toMatchObject({ value: 7, variant: 'n', reason: 'STATIC' });
    expect(evaluate(set, 'secret', {}, { defaultValue: 'x' })).toMatchObject({ errorCode: 'TYPE_MISMATCH' });
    expect(evaluate(set, 'secret', 'user-1' as never)).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
    expect(evaluate(set, 'secret', {}, { trace: true }).trace?.length).toBe(1);
  });

  it('checks no type without options', () => {
    expect(evaluate(set, 'secret')).toMatchObject({ value: 7, variant: 'n', reason: 'STATIC' });
  });

  it('takes the evaluation time as a Date or as epoch milliseconds', () => {
    const context = { targetingKey: 'u' };
    const asDate = evaluate(set, 'checkout', context, { now: new Date('2026-02-01T00:00:00Z') });
    const asNumber = evaluate(set, 'checkout', context, { now: Date.parse('2026-02-01T00:00:00Z') });
    expect(asDate).toMatchObject({ variant: 'a', reason: 'SPLIT', experiment: 'exp' });
    expect(asNumber).toEqual(asDate);
  });

  it('treats an invalid Date as no evaluation time', () => {
    const result = evaluate(set, 'checkout', { targetingKey: 'u' }, { now: new Date('nonsense') });
    expect(result).toMatchObject({ variant: 'c', reason: 'DEFAULT' });
  });

  it('returns frozen results', () => {
    expect(Object.isFrozen(evaluate(set, 'secret'))).toBe(true);
    expect(Object.isFrozen(evaluate(set, 'nope', {}, { defaultValue: 1 }))).toBe(true);
    expect(Object.isFrozen(evaluate(set, 'checkout', {}, { defaultValue: 'x', trace: true }))).toBe(true);
  });
});

describe('evaluateAll', () => {
  it("evaluates every flag that is not archived, in the set's order", () => {
    const results = evaluateAll(set, { targetingKey: 's-1' });
    expect(results.map((r) => [r.key, r.value, r.reason])).toEqual([
      ['base', true, 'STATIC'],
      ['checkout', 'B', 'TARGETING_MATCH'],
      ['secret', 7, 'STATIC'],
      ['later', false, 'DISABLED'],
    ]);
  });

  it('gives the same results as evaluating each flag alone', () => {
    const context = { targetingKey: 'u', plan: 'pro', seats: 50 };
    for (const result of evaluateAll(set, context))
      expect(result).toEqual(evaluate(set, result.key, context));
  });

  it('keeps only client-visible flags when asked', () => {
    expect(evaluateAll(set, {}, { clientVisibleOnly: true }).map((r) => r.key)).toEqual(['base', 'later']);
  });

  it('evaluates the named environment', () => {
    const checkout = evaluateAll(set, {}, { environment: 'staging' }).find((r) => r.key === 'checkout');
    expect(checkout).toMatchObject({ value: 'A', reason: 'DISABLED' });
  });

  it('attaches traces when asked', () => {
    expect(
      evaluateAll(set, {}, { trace: true }).every((r) => r.trace !== undefined && r.trace.length > 0),
    ).toBe(true);
  });

  it('gives an empty list for a flag set that can not be used, or a context that is not an object', () => {
    expect(evaluateAll({ flags: { f: { type: 'nope' } } } as never)).toEqual([]);
    expect(evaluateAll(set, 'user-1' as never)).toEqual([]);
  });
});
