// Type tests for the public API: checked by `tsc -p tsconfig.test.json` (npm run typecheck) and run by vitest.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  BUCKET_LIMIT,
  bucket,
  DEFAULT_ENVIRONMENT,
  type ErrorCode,
  type EvaluateAllOptions,
  type EvaluateOptions,
  type EvaluationContext,
  type EvaluationResult,
  evaluate,
  evaluateAll,
  type FlagSet,
  type FlagSetDefinition,
  type FlagSetInput,
  type FlagSetParseError,
  type FlagType,
  type JsonValue,
  murmur3,
  type OPERATORS,
  type Operator,
  parseFlagSet,
  type Reason,
  type SafeParseFlagSetResult,
  safeParseFlagSet,
  type TraceStep,
  type WeightTable,
  weightedBuckets,
} from '../src/index.js';

const input = {
  flags: {
    'new-checkout': { type: 'boolean', enabled: true },
    theme: {
      type: 'json',
      variants: { dark: { bg: '#000' } },
      enabled: true,
      defaultServe: { variant: 'dark' },
    },
  },
} satisfies FlagSetInput;
const set = parseFlagSet(input);

describe('public API types', () => {
  it('parseFlagSet gives a FlagSet; safeParseFlagSet a result to narrow', () => {
    expectTypeOf(parseFlagSet).parameter(0).toEqualTypeOf<unknown>();
    expectTypeOf(set).toEqualTypeOf<FlagSet>();
    expectTypeOf(set.definition).toEqualTypeOf<FlagSetDefinition>();
    expectTypeOf(set.keys).toEqualTypeOf<readonly string[]>();
    const result = safeParseFlagSet('{}');
    expectTypeOf(result).toEqualTypeOf<SafeParseFlagSetResult>();
    if (result.success) expectTypeOf(result.data).toEqualTypeOf<FlagSet>();
    else expectTypeOf(result.error).toEqualTypeOf<FlagSetParseError>();
    expect(result.success).toBe(false);
  });

  it('FlagSetParseError has a literal code and readonly issues', () => {
    expectTypeOf<FlagSetParseError['code']>().toEqualTypeOf<'INVALID_FLAG_SET'>();
    expectTypeOf<FlagSetParseError['issues'][number]['path']>().toEqualTypeOf<readonly (string | number)[]>();
    expectTypeOf<FlagSetParseError>().toExtend<Error>();
  });

  it('evaluate infers the value type from the default value', () => {
    expectTypeOf(evaluate(set, 'new-checkout', {}, { defaultValue: false })).toEqualTypeOf<
      EvaluationResult<boolean>
    >();
    expectTypeOf(evaluate(set, 'x', {}, { defaultValue: 'a' }).value).toEqualTypeOf<string>();
    expectTypeOf(evaluate(set, 'x', {}, { defaultValue: 1 }).value).toEqualTypeOf<number>();
    expectTypeOf(evaluate(set, 'theme').value).toEqualTypeOf<JsonValue | undefined>();
    expectTypeOf(
      evaluate<{ bg: string }>(set, 'theme', {}, { defaultValue: { bg: '#fff' } }).value,
    ).toEqualTypeOf<{
      bg: string;
    }>();
  });

  it('evaluate accepts a raw definition as well as a parsed set', () => {
    expectTypeOf(evaluate).parameter(0).toEqualTypeOf<FlagSet | FlagSetInput>();
    expect(evaluate(input, 'new-checkout', {}, { defaultValue: false }).value).toBe(true);
  });

  it('results are read-only and say why', () => {
    const result = evaluate(set, 'new-checkout', {}, { defaultValue: false });
    expectTypeOf(result.reason).toEqualTypeOf<Reason>();
    expectTypeOf(result.errorCode).toEqualTypeOf<ErrorCode | undefined>();
    expectTypeOf(result.variant).toEqualTypeOf<string | undefined>();
    expectTypeOf(result.trace).toEqualTypeOf<readonly TraceStep[] | undefined>();
    expect(() => {
      // @ts-expect-error results are read-only (and frozen)
      result.value = false;
    }).toThrow(TypeError);
    expectTypeOf<Reason>().toEqualTypeOf<
      'STATIC' | 'DEFAULT' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'ERROR' | 'PREREQUISITE_FAILED'
    >();
  });

  it('weight tables are typed, in the format and as a layout', () => {
    const table: WeightTable = { description: 'Seats', weights: { acme: 50 } };
    const withTables = {
      subjectWeights: { accounts: table },
      flags: {
        f: {
          type: 'boolean',
          defaultServe: { rollout: { variants: { on: 50_000, off: 50_000 }, weightedBy: 'accounts' } },
        },
      },
    } satisfies FlagSetInput;
    expectTypeOf(parseFlagSet(withTables).definition.subjectWeights).toEqualTypeOf<
      Record<string, WeightTable> | undefined
    >();
    expectTypeOf(weightedBuckets).returns.toEqualTypeOf<Map<string, number>>();
    // @ts-expect-error weights are numbers
    const bad: WeightTable = { weights: { acme: 'big' } };
    expect(bad).toBeDefined();
  });

  it('evaluateAll gives a list of results', () => {
    expectTypeOf(evaluateAll(set, {})).toEqualTypeOf<EvaluationResult[]>();
    expectTypeOf<EvaluateAllOptions>().toHaveProperty('clientVisibleOnly');
    // @ts-expect-error evaluateAll takes no default value
    evaluateAll(set, {}, { defaultValue: false });
  });

  it('contexts take a string targeting key and any attributes', () => {
    const context: EvaluationContext = {
      targetingKey: 'u-1',
      plan: 'pro',
      user: { address: { country: 'FR' } },
    };
    expectTypeOf(context.targetingKey).toEqualTypeOf<string | undefined>();
    // @ts-expect-error the targeting key is a string
    const numeric: EvaluationContext = { targetingKey: 42 };
    expect(numeric).toBeDefined();
  });

  it('options are typed', () => {
    expectTypeOf<EvaluateOptions['now']>().toEqualTypeOf<number | Date | undefined>();
    expectTypeOf<EvaluateOptions['type']>().toEqualTypeOf<FlagType | undefined>();
    expectTypeOf<EvaluateOptions['random']>().toEqualTypeOf<(() => number) | undefined>();
    // @ts-expect-error an unknown type
    evaluate(set, 'x', {}, { type: 'integer' });
  });

  it('flag-set input is checked as you write it', () => {
    const bad: FlagSetInput = {
      flags: {
        f: {
          type: 'boolean',
          rules: [
            {
              // @ts-expect-error "equal" is not an operator
              conditions: [{ attribute: 'a', op: 'equal' }],
              serve: { variant: 'on' },
            },
          ],
        },
      },
    };
    // @ts-expect-error flags are required
    const empty: FlagSetInput = {};
    expect([bad, empty]).toHaveLength(2);
    expectTypeOf<Operator>().toEqualTypeOf<(typeof OPERATORS)[number]>();
    expectTypeOf<'semverEq'>().toExtend<Operator>();
  });

  it('hashing helpers are plain functions of strings', () => {
    expectTypeOf(murmur3).toEqualTypeOf<(text: string, seed?: number) => number>();
    expectTypeOf(bucket).toEqualTypeOf<(seed: string, value: string) => number>();
    expectTypeOf(BUCKET_LIMIT).toEqualTypeOf<number>();
    expectTypeOf(DEFAULT_ENVIRONMENT).toEqualTypeOf<string>();
  });
});
