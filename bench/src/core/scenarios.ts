import { type FlagSet, type FlagSetInput, parseFlagSet, type Rule, TOTAL_WEIGHT } from '@vexil/core';
import { S1_KEY, S2_KEY, S2_ROLLOUT_PERCENT, S2_RULES, S3_KEY, S3_ON_PERCENT, s4Keys } from './spec.js';

type FlagInput = FlagSetInput['flags'][string];

const PERCENT = TOTAL_WEIGHT / 100;

/** S2 in Vexil's format: three ordered rules, then a 50/50 rollout on the targeting key. */
export function s2Flag(): FlagInput {
  const rules: Rule[] = [
    {
      id: 'country',
      conditions: [{ attribute: 'country', op: 'in', values: [...S2_RULES.countries] }],
      serve: { variant: 'a' },
    },
    {
      id: 'enterprise',
      conditions: [
        { attribute: 'plan', op: 'eq', value: S2_RULES.plan },
        { attribute: 'seats', op: 'gt', value: S2_RULES.seatsAbove },
      ],
      serve: { variant: 'b' },
    },
    {
      id: 'email',
      conditions: [{ attribute: 'email', op: 'endsWith', value: S2_RULES.emailSuffix }],
      serve: { variant: 'c' },
    },
  ];
  return {
    type: 'string',
    variants: { a: 'a', b: 'b', c: 'c' },
    enabled: true,
    rules,
    defaultServe: {
      rollout: { variants: { a: S2_ROLLOUT_PERCENT.a * PERCENT, b: S2_ROLLOUT_PERCENT.b * PERCENT } },
    },
  };
}

/** S1–S3 in one flag set (S1 on; S2 rules; S3 on for 25 %). */
export function singleFlagSet(): FlagSet {
  return parseFlagSet({
    formatVersion: 1,
    flags: {
      [S1_KEY]: { type: 'boolean', enabled: true },
      [S2_KEY]: s2Flag(),
      [S3_KEY]: {
        type: 'boolean',
        enabled: true,
        defaultServe: {
          rollout: { variants: { on: S3_ON_PERCENT * PERCENT, off: (100 - S3_ON_PERCENT) * PERCENT } },
        },
      },
    },
  });
}

/** S4: 200 flags like S2 (each its own key, so each buckets independently). */
export function manyFlagSet(): FlagSet {
  return parseFlagSet({
    formatVersion: 1,
    flags: Object.fromEntries(s4Keys().map((key) => [key, s2Flag()])),
  });
}
