import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate.js';
import { bucket } from '../hash/bucket.js';
import { weightedBuckets } from '../hash/weighted-buckets.js';
import { parseFlagSet } from '../parse/parse-flag-set.js';
import type { FlagSetInput } from '../schema/flag-set.js';

/** 20 whales of weight 1000 and 2000 minnows of weight 1: a few accounts hold 90 % of the weight. */
function skewedTable(): Record<string, number> {
  const weights: Record<string, number> = {};
  for (let i = 0; i < 20; i++) weights[`whale-${i}`] = 1000;
  for (let i = 0; i < 2000; i++) weights[`minnow-${i}`] = 1;
  return weights;
}

function rolloutSet(weights: Record<string, number>, seed: string, on: number, weighted: boolean) {
  return parseFlagSet({
    subjectWeights: { accounts: { description: 'seats per account', weights } },
    flags: {
      f: {
        type: 'boolean',
        enabled: true,
        defaultServe: {
          rollout: {
            variants: { on, off: 100_000 - on },
            bucketBy: 'account',
            seed,
            ...(weighted ? { weightedBy: 'accounts' } : {}),
          },
        },
      },
    },
  });
}

/** Share of the weight, and of the heads, that gets `on`. */
function coverage(set: ReturnType<typeof parseFlagSet>, weights: Record<string, number>) {
  let total = 0;
  let on = 0;
  let heads = 0;
  for (const [account, w] of Object.entries(weights)) {
    total += w;
    if (evaluate(set, 'f', { account }).value === true) {
      on += w;
      heads++;
    }
  }
  return { weight: on / total, heads: heads / Object.keys(weights).length };
}

describe('subject weights: rollouts', () => {
  const weights = skewedTable();
  const total = 22_000;
  const halfAWhale = 500 / total;

  it('covers 30 % of the weight, within half a subject, where head count would miss it', () => {
    let unweightedMisses = 0;
    for (let s = 0; s < 30; s++) {
      const seed = `rollout-${s}`;
      const weighted = coverage(rolloutSet(weights, seed, 30_000, true), weights);
      expect(Math.abs(weighted.weight - 0.3)).toBeLessThanOrEqual(halfAWhale + 1e-5);
      const plain = coverage(rolloutSet(weights, seed, 30_000, false), weights);
      if (Math.abs(plain.weight - 0.3) > halfAWhale) unweightedMisses++;
    }
    // Balancing by head count lets the whales fall where they may: most seeds miss 30 % of the weight.
    expect(unweightedMisses).toBeGreaterThan(10);
  });

  it('serves everyone at 100 % and no one at 0 %', () => {
    expect(coverage(rolloutSet(weights, 'full', 100_000, true), weights)).toEqual({ weight: 1, heads: 1 });
    expect(coverage(rolloutSet(weights, 'none', 0, true), weights)).toEqual({ weight: 0, heads: 0 });
  });

  it('keeps subjects in as the rollout grows', () => {
    const at30 = rolloutSet(weights, 'grow', 30_000, true);
    const at50 = rolloutSet(weights, 'grow', 50_000, true);
    for (const account of Object.keys(weights)) {
      if (evaluate(at30, 'f', { account }).value === true)
        expect(evaluate(at50, 'f', { account }).value).toBe(true);
    }
  });

  it('places a listed subject by its weighted bucket and an unlisted one by its hash bucket', () => {
    const small = { acme: 50, globex: 10, initech: 30, hooli: 10 };
    // Layout under seed "checkout": globex 5000, acme 35000, initech 75000, hooli 95000.
    const set = rolloutSet(small, 'checkout', 40_000, true);
    // Variants in code-point order: "off" takes [0, 60000), "on" [60000, 100000).
    expect(evaluate(set, 'f', { account: 'acme' }).value).toBe(false);
    expect(evaluate(set, 'f', { account: 'initech' }).value).toBe(true);
    expect(evaluate(set, 'f', { account: 'hooli' }).value).toBe(true);
    expect(bucket('checkout', 'stranger')).toBe(51318);
    expect(evaluate(set, 'f', { account: 'stranger' }).value).toBe(false);
    expect(evaluate(set, 'f', { account: 'stranger' }).reason).toBe('SPLIT');
  });

  it('buckets a number the way it buckets its decimal string', () => {
    const set = rolloutSet({ '42': 99, '7': 1 }, 'numbers', 50_000, true);
    const layout = weightedBuckets('numbers', { '42': 99, '7': 1 });
    expect(evaluate(set, 'f', { account: 42 }).value).toBe(layout.get('42')! >= 50_000);
    expect(evaluate(set, 'f', { account: 42 })).toEqual(evaluate(set, 'f', { account: '42' }));
  });

  it('still needs the bucketing attribute', () => {
    const set = rolloutSet({ acme: 1 }, 's', 50_000, true);
    expect(evaluate(set, 'f', {}, { defaultValue: false })).toMatchObject({
      value: false,
      reason: 'ERROR',
      errorCode: 'INVALID_CONTEXT',
    });
  });

  it('applies to ramps: the threshold moves along the weighted layout', () => {
    const small = { acme: 50, globex: 10, initech: 30, hooli: 10 };
    const set = parseFlagSet({
      subjectWeights: { accounts: { weights: small } },
      flags: {
        f: {
          type: 'boolean',
          enabled: true,
          defaultServe: {
            rollout: {
              variants: { on: 0, off: 100_000 },
              bucketBy: 'account',
              seed: 'checkout',
              weightedBy: 'accounts',
              ramp: {
                start: '2026-01-01T00:00:00Z',
                end: '2026-01-11T00:00:00Z',
                to: { on: 100_000, off: 0 },
              },
            },
          },
        },
      },
    });
    // Halfway: "off" keeps [0, 50000): globex (5000) and acme (35000); initech and hooli are on.
    const now = Date.parse('2026-01-06T00:00:00Z');
    const on = Object.keys(small).filter((account) => evaluate(set, 'f', { account }, { now }).value);
    expect(on.sort()).toEqual(['hooli', 'initech']);
  });

  it('shares one layout between flags with the same table and seed', () => {
    const set = parseFlagSet({
      subjectWeights: { accounts: { weights: { a: 1, b: 2, c: 3 } } },
      flags: Object.fromEntries(
        ['x', 'y'].map((key) => [
          key,
          {
            type: 'boolean',
            enabled: true,
            defaultServe: {
              rollout: { variants: { on: 50_000, off: 50_000 }, seed: 'shared', weightedBy: 'accounts' },
            },
          },
        ]),
      ),
    });
    for (const targetingKey of ['a', 'b', 'c', 'zz'])
      expect(evaluate(set, 'x', { targetingKey }).variant).toBe(evaluate(set, 'y', { targetingKey }).variant);
  });

  it('explains a weighted rollout in the trace', () => {
    const set = rolloutSet({ acme: 50, globex: 10, initech: 30, hooli: 10 }, 'checkout', 40_000, true);
    expect(evaluate(set, 'f', { account: 'acme' }, { trace: true }).trace?.at(-1)?.detail).toBe(
      'default rollout by "account" weighted by table "accounts" ("acme" is listed: weighted bucket 35000): serves "off"',
    );
    expect(evaluate(set, 'f', { account: 'stranger' }, { trace: true }).trace?.at(-1)?.detail).toBe(
      'default rollout by "account" weighted by table "accounts" ("stranger" is not listed: hash bucket 51318): serves "off"',
    );
  });
});

describe('subject weights: experiments', () => {
  const weights = skewedTable();

  function experimentSet(allocation: number, seed: string): FlagSetInput {
    return {
      subjectWeights: { accounts: { weights } },
      flags: {
        f: {
          type: 'string',
          variants: { a: 'A', b: 'B', none: '-' },
          enabled: true,
          experiment: {
            key: 'exp',
            allocation,
            variants: { a: 50_000, b: 50_000 },
            bucketBy: 'account',
            seed,
            weightedBy: 'accounts',
          },
          defaultServe: { variant: 'none' },
        },
      },
    };
  }

  it('allocates 20 % of the weight, within half a subject', () => {
    for (let s = 0; s < 10; s++) {
      const set = parseFlagSet(experimentSet(20_000, `exp-${s}`));
      let inside = 0;
      for (const [account, w] of Object.entries(weights))
        if (evaluate(set, 'f', { account }).experiment === 'exp') inside += w;
      expect(Math.abs(inside / 22_000 - 0.2)).toBeLessThanOrEqual(500 / 22_000 + 1e-5);
    }
  });

  it('lays the allocation and the variants out under their own seeds', () => {
    const set = parseFlagSet(experimentSet(50_000, 'pair'));
    const allocation = weightedBuckets('pair:allocation', weights);
    const variant = weightedBuckets('pair', weights);
    for (const account of ['whale-3', 'whale-11', 'minnow-5', 'minnow-1234']) {
      const result = evaluate(set, 'f', { account });
      if (allocation.get(account)! >= 50_000) expect(result.experiment).toBeUndefined();
      else expect(result.variant).toBe(variant.get(account)! < 50_000 ? 'a' : 'b');
    }
  });

  it('names the table in the trace', () => {
    const set = parseFlagSet(experimentSet(100_000, 'trace'));
    const step = evaluate(set, 'f', { account: 'whale-1' }, { trace: true }).trace?.[0];
    expect(step?.detail).toMatch(
      /^allocated to experiment "exp" \(weighted by table "accounts"\): serves "[ab]"$/,
    );
  });
});
