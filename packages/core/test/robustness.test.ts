// A bad flag set, a strange context or odd options never crash anything: property tests.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type EvaluateOptions,
  type EvaluationContext,
  type EvaluationResult,
  evaluate,
  evaluateAll,
  type FlagSet,
  parseFlagSet,
  safeParseFlagSet,
} from '../src/index.js';
import { context, FLAG_KEYS, junk, options, plausibleFlagSet } from './support/arbitraries.js';

const REASONS = ['STATIC', 'DEFAULT', 'TARGETING_MATCH', 'SPLIT', 'DISABLED', 'ERROR', 'PREREQUISITE_FAILED'];

/** What every result must look like, however it came about. */
function expectWellFormed(result: EvaluationResult<unknown>, key: string, defaultValue: unknown): void {
  expect(result.key).toBe(key);
  expect(REASONS).toContain(result.reason);
  expect(result.reason === 'ERROR').toBe(result.errorCode !== undefined);
  if (result.variant === undefined && defaultValue !== undefined) expect(result.value).toBe(defaultValue);
  expect(Object.isFrozen(result)).toBe(true);
}

describe('a bad flag set never crashes anything', () => {
  it('safeParseFlagSet answers anything at all with a result, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(junk, fc.string(), fc.json()), (input) => {
        const result = safeParseFlagSet(input);
        if (!result.success) {
          expect(result.error.issues.length).toBeGreaterThan(0);
          for (const issue of result.error.issues) expect(typeof issue.message).toBe('string');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('evaluate and evaluateAll answer junk passed as a flag set with PARSE_ERROR or nothing', () => {
    fc.assert(
      fc.property(junk, fc.string(), (input, key) => {
        const result = evaluate(input as FlagSet, key, {}, { defaultValue: 'x' });
        expectWellFormed(result, key, 'x');
        expect(evaluateAll(input as FlagSet)).toBeInstanceOf(Array);
      }),
      { numRuns: 200 },
    );
  });

  it('generates plausible flag sets of which a fair share is valid', () => {
    const valid = fc
      .sample(plausibleFlagSet, { numRuns: 200, seed: 42 })
      .filter((s) => safeParseFlagSet(s).success);
    expect(valid.length).toBeGreaterThan(50);
  });

  it('evaluates plausible flag sets, valid or not, for any context and options without throwing', () => {
    fc.assert(
      fc.property(plausibleFlagSet, context, options, (input, ctx, opts) => {
        const parsed = safeParseFlagSet(input);
        const set: FlagSet | typeof input = parsed.success ? parsed.data : input;
        for (const key of [...FLAG_KEYS, 'missing']) {
          expectWellFormed(
            evaluate(set as FlagSet, key, ctx, opts as EvaluateOptions<unknown>),
            key,
            opts.defaultValue,
          );
        }
        const all = evaluateAll(set as FlagSet, ctx, opts);
        if (!parsed.success) expect(all).toEqual([]);
        for (const result of all) expectWellFormed(result, result.key, undefined);
      }),
      { numRuns: 200 },
    );
  });

  it('evaluateAll gives, flag by flag, what evaluate gives (shared conditions and encodings change nothing)', () => {
    forPlausibleSets(300, (input, contexts, opts) => {
      const parsed = safeParseFlagSet(input);
      if (!parsed.success) return;
      const { defaultValue: _, ...same } = opts;
      for (const ctx of contexts) {
        for (const result of evaluateAll(parsed.data, ctx, same)) {
          expect(result).toEqual(evaluate(parsed.data, result.key, ctx, same));
        }
      }
    });
  });
});

describe('generated rules', () => {
  it('evaluate exactly as interpreted ones, for any flag set, context and options', () => {
    forPlausibleSets(500, (input, contexts, opts) => {
      const generated = safeParseFlagSet(input);
      const interpreted = safeParseFlagSet(input, { generateCode: false });
      expect(generated.success).toBe(interpreted.success);
      if (!generated.success || !interpreted.success) return;
      for (const ctx of contexts) {
        for (const key of FLAG_KEYS) {
          expect(evaluate(generated.data, key, ctx, opts)).toEqual(
            evaluate(interpreted.data, key, ctx, opts),
          );
        }
      }
    });
  });
});

/**
 * Runs `check` on plausible flag sets with a few contexts and options; random rollouts
 * draw a fixed number, so that two evaluations compared with each other draw the same.
 */
function forPlausibleSets(
  numRuns: number,
  check: (input: unknown, contexts: EvaluationContext[], opts: EvaluateOptions<unknown>) => void,
): void {
  fc.assert(
    fc.property(
      plausibleFlagSet,
      fc.array(context, { minLength: 1, maxLength: 3 }),
      options,
      (input, contexts, opts) => check(input, contexts, { ...opts, random: opts.random ?? (() => 0.5) }),
    ),
    { numRuns },
  );
}

describe('evaluation never throws', () => {
  const set = safeParseFlagSet({
    segments: { staff: { conditions: [{ attribute: 'email', op: 'endsWith', value: '@x.io' }] } },
    flags: {
      f: {
        type: 'boolean',
        enabled: true,
        targets: { on: ['t-1'] },
        overrides: [{ segment: 'staff', variant: 'on' }],
        rules: [
          {
            conditions: [{ attribute: 'user.plan', op: 'in', values: ['pro', 'team'] }],
            serve: { variant: 'on' },
          },
        ],
        defaultServe: { rollout: { variants: { on: 50000, off: 50000 } } },
      },
    },
  });
  if (!set.success) throw set.error;

  it('for contexts holding anything at all', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('targetingKey', 'email', 'user', 'user.plan'), junk),
        (ctx) => {
          expectWellFormed(evaluate(set.data, 'f', ctx, { defaultValue: false, trace: true }), 'f', false);
        },
      ),
    );
  });

  it('for contexts that are not objects: INVALID_CONTEXT', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double(), fc.boolean(), fc.array(junk), fc.bigInt()), (ctx) => {
        expect(evaluate(set.data, 'f', ctx as never, { defaultValue: false })).toMatchObject({
          errorCode: 'INVALID_CONTEXT',
        });
      }),
    );
  });

  it('for cyclic contexts and contexts without a prototype', () => {
    const cyclic: Record<string, unknown> = { targetingKey: 'u-1' };
    cyclic.user = cyclic;
    const bare = Object.assign(Object.create(null) as object, { targetingKey: 't-1' });
    expectWellFormed(evaluate(set.data, 'f', cyclic, { defaultValue: false, trace: true }), 'f', false);
    expect(evaluate(set.data, 'f', bare, { defaultValue: false })).toMatchObject({
      value: true,
      ruleId: '$target',
    });
  });

  it('for a non-string targeting key, traced', () => {
    for (const targetingKey of [10n, Symbol('k'), 42, { id: 1 }, ['t-1']]) {
      const result = evaluate(set.data, 'f', { targetingKey } as never, { defaultValue: false, trace: true });
      expectWellFormed(result, 'f', false);
    }
  });

  it("for contexts whose getters throw: the caller's default with ERROR / GENERAL", () => {
    const hostile = {
      targetingKey: 'u-1',
      get user(): never {
        throw new Error('lazy load failed');
      },
    };
    expect(evaluate(set.data, 'f', hostile, { defaultValue: false })).toMatchObject({
      value: false,
      reason: 'ERROR',
      errorCode: 'GENERAL',
      errorMessage: 'evaluation failed: lazy load failed',
    });
    expect(evaluateAll(set.data, hostile).map((r) => [r.key, r.errorCode])).toEqual([['f', 'GENERAL']]);
  });

  it('for a proxy that throws on every read', () => {
    const proxy = new Proxy(
      {},
      {
        get() {
          throw new Error('no');
        },
      },
    );
    expect(evaluate(set.data, 'f', proxy, { defaultValue: true, trace: true })).toMatchObject({
      value: true,
      errorCode: 'GENERAL',
    });
    expect(evaluateAll(set.data, proxy).map((r) => [r.key, r.errorCode])).toEqual([['f', 'GENERAL']]);
  });

  it('for a random source that throws', () => {
    const random = safeParseFlagSet({
      flags: {
        r: {
          type: 'boolean',
          enabled: true,
          defaultServe: { rollout: { variants: { on: 50000, off: 50000 }, random: true } },
        },
      },
    });
    if (!random.success) throw random.error;
    const result = evaluate(
      random.data,
      'r',
      {},
      {
        defaultValue: false,
        random: () => {
          throw new Error('no entropy');
        },
      },
    );
    expect(result).toMatchObject({
      value: false,
      errorCode: 'GENERAL',
      errorMessage: 'evaluation failed: no entropy',
    });
  });
});

describe('values JavaScript objects can hold but JSON cannot', () => {
  it('refuses a flag set whose variant value refers to itself', () => {
    const value: Record<string, unknown> = {};
    value.self = value;
    const result = safeParseFlagSet({ flags: { f: { type: 'json', variants: { a: value } } } });
    expect(result.success).toBe(false);
  });
});

describe('attribute names every object inherits', () => {
  it('does not see constructor or __proto__ on a context that lacks them', () => {
    const set = parseFlagSet({
      flags: {
        f: {
          type: 'boolean',
          enabled: true,
          rules: [
            { conditions: [{ attribute: 'constructor', op: 'exists' }], serve: { variant: 'off' } },
            { conditions: [{ attribute: 'user.toString', op: 'exists' }], serve: { variant: 'off' } },
          ],
        },
      },
    });
    expect(evaluate(set, 'f', { user: {} }).variant).toBe('on');
    expect(evaluate(set, 'f', { constructor: 'x' }).variant).toBe('off');
  });

  it('compiles an environment no flag configures once, whatever names callers ask for', () => {
    const set = parseFlagSet({ flags: { f: { type: 'boolean', enabled: true } } });
    for (let i = 0; i < 1000; i++)
      expect(evaluate(set, 'f', {}, { environment: `env-${i}` }).value).toBe(true);
  });
});
