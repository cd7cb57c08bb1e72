import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_TABLE_WEIGHT } from '../schema/subject-weights.js';
import { bucket } from './bucket.js';
import { compareCodePoints, weightedBuckets } from './weighted-buckets.js';

/** The documented rule with BigInt arithmetic, step by step. */
function reference(seed: string, weights: Record<string, number>): Map<string, number> {
  const order = Object.keys(weights).sort((a, b) => {
    const d = bucket(seed, a) - bucket(seed, b);
    if (d !== 0) return d;
    const x = [...a].map((c) => c.codePointAt(0)!);
    const y = [...b].map((c) => c.codePointAt(0)!);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return x.length - y.length;
  });
  const total = order.reduce((sum, k) => sum + BigInt(weights[k]!), 0n);
  const out = new Map<string, number>();
  let before = 0n;
  for (const k of order) {
    const w = BigInt(weights[k]!);
    out.set(k, Number(((2n * before + w) * 100_000n) / (2n * total)));
    before += w;
  }
  return out;
}

const table = fc.dictionary(
  fc.string({ minLength: 0, maxLength: 8 }),
  fc.integer({ min: 1, max: 1_000_000 }),
  {
    maxKeys: 60,
  },
);

describe('weightedBuckets', () => {
  it('orders subjects by their hash bucket and gives each the middle of its share of [0, 100000)', () => {
    const weights = { acme: 50, globex: 10, initech: 30, hooli: 10 };
    const order = Object.keys(weights).sort((a, b) => bucket('checkout', a) - bucket('checkout', b));
    expect(order).toEqual(['globex', 'acme', 'initech', 'hooli']);
    // globex [0, 10) → 5 %, acme [10, 60) → 35 %, initech [60, 90) → 75 %, hooli [90, 100) → 95 %
    expect(weightedBuckets('checkout', weights)).toEqual(
      new Map([
        ['globex', 5000],
        ['acme', 35000],
        ['initech', 75000],
        ['hooli', 95000],
      ]),
    );
  });

  it('gives a lone subject the middle bucket, and an empty table no buckets', () => {
    expect(weightedBuckets('s', { only: 7 })).toEqual(new Map([['only', 50000]]));
    expect(weightedBuckets('s', {})).toEqual(new Map());
  });

  it('breaks ties between equal hash buckets by code point, not by the order of the table', () => {
    expect(bucket('ties', 'acct-325')).toBe(72479);
    expect(bucket('ties', 'acct-339')).toBe(72479);
    expect(weightedBuckets('ties', { 'acct-339': 1, 'acct-325': 1 })).toEqual(
      new Map([
        ['acct-325', 25000],
        ['acct-339', 75000],
      ]),
    );
  });

  it('lays out a different order under another seed', () => {
    const weights = { acme: 50, globex: 10, initech: 30, hooli: 10 };
    expect(weightedBuckets('pricing', weights)).toEqual(
      new Map([
        ['initech', 15000],
        ['globex', 35000],
        ['acme', 65000],
        ['hooli', 95000],
      ]),
    );
  });

  it('matches the documented rule computed with exact integers, whatever the table', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 10 }), table, (seed, weights) => {
        expect(weightedBuckets(seed, weights)).toEqual(reference(seed, weights));
      }),
    );
  });

  it('stays exact at the largest total a table may have', () => {
    const weights = { a: MAX_TABLE_WEIGHT - 3, b: 1, c: 1, d: 1 };
    expect(weightedBuckets('edge', weights)).toEqual(reference('edge', weights));
    const halves = { a: MAX_TABLE_WEIGHT / 2 - 1, b: MAX_TABLE_WEIGHT / 2 + 1 };
    expect(weightedBuckets('edge', halves)).toEqual(reference('edge', halves));
  });

  it('puts into the buckets below x the share x of the weight, within half a subject', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 10 }),
        table,
        fc.integer({ min: 0, max: 100_000 }),
        (seed, weights, x) => {
          const layout = weightedBuckets(seed, weights);
          let total = 0;
          let below = 0;
          let largest = 0;
          for (const [key, b] of layout) {
            const w = weights[key]!;
            total += w;
            largest = Math.max(largest, w);
            if (b < x) below += w;
            expect(b).toBeGreaterThanOrEqual(0);
            expect(b).toBeLessThan(100_000);
          }
          if (total === 0) return;
          // Half the straddling subject, plus one bucket of rounding.
          expect(Math.abs(below - (x / 100_000) * total)).toBeLessThanOrEqual(largest / 2 + total / 100_000);
        },
      ),
    );
  });

  it('moves subjects only a little when one weight changes a little', () => {
    const weights: Record<string, number> = {};
    for (let i = 0; i < 200; i++) weights[`account-${i}`] = 1 + ((i * 7919) % 500);
    const before = weightedBuckets('stable', weights);
    const after = weightedBuckets('stable', { ...weights, 'account-17': weights['account-17']! + 5 });
    let total = 0;
    for (const w of Object.values(weights)) total += w;
    for (const [key, b] of before) {
      // 5 units of weight out of `total` shift a bucket by at most 5 / total of the line (+1 rounding).
      expect(Math.abs(after.get(key)! - b)).toBeLessThanOrEqual(Math.ceil((5 / total) * 100_000) + 1);
    }
  });
});

describe('compareCodePoints', () => {
  it('orders by code point, so characters above U+FFFF come after U+E000–U+FFFF', () => {
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('x', 'x')).toBe(0);
    expect(compareCodePoints('\u{1F600}', '\uFF5E')).toBeGreaterThan(0); // UTF-16 would say less
    expect(compareCodePoints('\uFF5E', '\u{1F600}')).toBeLessThan(0);
    expect(compareCodePoints('\u{1F600}', '\u{1F601}')).toBeLessThan(0);
  });
});
