import { FlagdCore } from '@openfeature/flagd-core';
import type { CoreAdapter } from '../adapter.js';
import type { BenchContext } from '../contexts.js';
import { S1_KEY, S2_KEY, S2_ROLLOUT_PERCENT, S2_RULES, S3_KEY, S3_ON_PERCENT, s4Keys } from '../spec.js';

type Logger = NonNullable<Parameters<FlagdCore['resolveAll']>[1]>;

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** S2 as flagd targeting (JsonLogic): `if` chains the rules in order; `fractional` buckets on flag key + targeting key. */
function s2Flag() {
  return {
    state: 'ENABLED',
    variants: { a: 'a', b: 'b', c: 'c' },
    defaultVariant: 'a',
    targeting: {
      if: [
        { in: [{ var: 'country' }, [...S2_RULES.countries]] },
        'a',
        {
          and: [{ '==': [{ var: 'plan' }, S2_RULES.plan] }, { '>': [{ var: 'seats' }, S2_RULES.seatsAbove] }],
        },
        'b',
        { ends_with: [{ var: 'email' }, S2_RULES.emailSuffix] },
        'c',
        {
          fractional: [
            ['a', S2_ROLLOUT_PERCENT.a],
            ['b', S2_ROLLOUT_PERCENT.b],
          ],
        },
      ],
    },
  };
}

/** The flagd flag configurations for S1–S3 and for S4. */
export function flagdConfigurations(): { single: string; many: string } {
  const single = {
    flags: {
      [S1_KEY]: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
      [S2_KEY]: s2Flag(),
      [S3_KEY]: {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: {
          fractional: [
            ['on', S3_ON_PERCENT],
            ['off', 100 - S3_ON_PERCENT],
          ],
        },
      },
    },
  };
  const many = { flags: Object.fromEntries(s4Keys().map((key) => [key, s2Flag()])) };
  return { single: JSON.stringify(single), many: JSON.stringify(many) };
}

/** flagd's in-process evaluator (`@openfeature/flagd-core`, compiled JsonLogic), synchronous. */
export async function createFlagdAdapter(contexts: readonly BenchContext[]): Promise<CoreAdapter> {
  const { single, many } = flagdConfigurations();
  const core = new FlagdCore(undefined, SILENT);
  core.setConfigurations(single);
  const all = new FlagdCore(undefined, SILENT);
  all.setConfigurations(many);
  const pool = contexts.map((c) => ({ ...c }));
  const size = pool.length;
  return {
    name: 'flagd-core',
    async: false,
    api: {
      S1: 'resolveBooleanEvaluation(key, false, ctx, logger)',
      S2: "resolveStringEvaluation(key, '', ctx, logger)",
      S3: 'resolveBooleanEvaluation(key, false, ctx, logger)',
      S4: 'resolveAll(ctx, logger)',
    },
    s1: (i) => core.resolveBooleanEvaluation(S1_KEY, false, pool[i], SILENT).value,
    s2: (i) => core.resolveStringEvaluation(S2_KEY, '', pool[i], SILENT).value,
    s3: (i) => core.resolveBooleanEvaluation(S3_KEY, false, pool[i], SILENT).value,
    s4: (i) => {
      const out: Record<string, string> = {};
      for (const d of all.resolveAll(pool[i], SILENT)) out[d.flagKey] = String(d.value);
      return out;
    },
    loops: {
      S1: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (core.resolveBooleanEvaluation(S1_KEY, false, pool[j], SILENT).value) sink++;
        return sink;
      },
      S2: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (core.resolveStringEvaluation(S2_KEY, '', pool[j], SILENT).value === 'a') sink++;
        return sink;
      },
      S3: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (core.resolveBooleanEvaluation(S3_KEY, false, pool[j], SILENT).value) sink++;
        return sink;
      },
      S4: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (all.resolveAll(pool[j], SILENT)[0]?.value === 'a') sink++;
        return sink;
      },
    },
    close: async () => {},
  };
}
