import { type EvaluateOptions, evaluate, evaluateAll } from '@vexil/core';
import type { CoreAdapter } from './adapter.js';
import type { BenchContext } from './contexts.js';
import { manyFlagSet, singleFlagSet } from './scenarios.js';
import { S1_KEY, S2_KEY, S3_KEY } from './spec.js';

// Options hoisted, as an SDK holding a typed default would pass them.
const BOOLEAN: EvaluateOptions<boolean> = { defaultValue: false };
const STRING: EvaluateOptions<string> = { defaultValue: '' };

/** Vexil: `evaluate` / `evaluateAll` from @vexil/core on parsed flag sets. Contexts are used as they are. */
export async function createVexilAdapter(contexts: readonly BenchContext[]): Promise<CoreAdapter> {
  const set = singleFlagSet();
  const many = manyFlagSet();
  const pool = contexts.map((c) => ({ ...c }));
  const size = pool.length;
  return {
    name: 'vexil',
    async: false,
    api: {
      S1: 'evaluate(set, key, ctx, { defaultValue: false })',
      S2: "evaluate(set, key, ctx, { defaultValue: '' })",
      S3: 'evaluate(set, key, ctx, { defaultValue: false })',
      S4: 'evaluateAll(set, ctx)',
    },
    s1: (i) => evaluate(set, S1_KEY, pool[i], BOOLEAN).value,
    s2: (i) => evaluate(set, S2_KEY, pool[i], STRING).value,
    s3: (i) => evaluate(set, S3_KEY, pool[i], BOOLEAN).value,
    s4: (i) => {
      const out: Record<string, string> = {};
      for (const result of evaluateAll(many, pool[i])) out[result.key] = String(result.value);
      return out;
    },
    loops: {
      S1: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (evaluate(set, S1_KEY, pool[j], BOOLEAN).value) sink++;
        return sink;
      },
      S2: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (evaluate(set, S2_KEY, pool[j], STRING).value === 'a') sink++;
        return sink;
      },
      S3: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (evaluate(set, S3_KEY, pool[j], BOOLEAN).value) sink++;
        return sink;
      },
      S4: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (evaluateAll(many, pool[j])[0]?.value === 'a') sink++;
        return sink;
      },
    },
    close: async () => {},
  };
}
