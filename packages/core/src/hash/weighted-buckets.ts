import { TOTAL_WEIGHT } from '../schema/primitives.js';
import { BucketHasher } from './bucket.js';

/**
 * The buckets of a weight table's subjects under `seed`, so that a share of the buckets
 * holds that share of the table's weight:
 *
 * 1. each subject's ordinary bucket under `seed` orders the subjects (ties by code point
 *    of the subject), so the order is as random as the hash and independent per seed;
 * 2. in that order the subjects are laid along [0, 100000), each taking an interval in
 *    proportion to its weight: subject _i_ spans `[before, before + weight)` out of `total`,
 *    `before` being the sum of the weights ahead of it;
 * 3. its bucket is the middle of its interval, in integers:
 *    `floor((2 × before + weight) × 100000 / (2 × total))`.
 *
 * So buckets below `x` hold `x / 100000` of the weight, give or take half a subject;
 * 100 % holds everyone and 0 % no one; and a small change of weights moves subjects only
 * a little along the line. Weights are whole numbers summing to at most 10¹⁰, which
 * keeps every step exact.
 * @example
 * weightedBuckets('checkout', { acme: 50, globex: 10 }); // Map { 'globex' => …, 'acme' => … }
 */
export function weightedBuckets(
  seed: string,
  weights: Readonly<Record<string, number>>,
): Map<string, number> {
  const hasher = new BucketHasher(seed);
  const keys = Object.keys(weights);
  const n = keys.length;
  // Sort (bucket, index) pairs packed in doubles: a typed-array sort needs no comparator.
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = hasher.bucket(keys[i]!) * INDEX_RANGE + i;
  packed.sort();
  const order = new Array<number>(n);
  for (let i = 0; i < n; i++) order[i] = packed[i]! % INDEX_RANGE;
  // Equal buckets (rare) go by code point of the subject, not by the table's order.
  for (let i = 0; i < n; ) {
    const b = Math.floor(packed[i]! / INDEX_RANGE);
    let j = i + 1;
    while (j < n && Math.floor(packed[j]! / INDEX_RANGE) === b) j++;
    if (j - i > 1) {
      const run = order.slice(i, j).sort((x, y) => compareCodePoints(keys[x]!, keys[y]!));
      for (let k = i; k < j; k++) order[k] = run[k - i]!;
    }
    i = j;
  }
  const w = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    w[i] = weights[keys[i]!]!;
    total += w[i]!;
  }
  const layout = new Map<string, number>();
  let before = 0;
  for (let i = 0; i < n; i++) {
    const k = order[i]!;
    layout.set(keys[k]!, divide((2 * before + w[k]!) * TOTAL_WEIGHT, 2 * total));
    before += w[k]!;
  }
  return layout;
}

/** Room for a table's subject indexes beside a bucket in one double: 100 000 × 2³⁴ < 2⁵³. */
const INDEX_RANGE = 2 ** 34;

/** floor(a / b) for non-negative integers below 2⁵³, corrected for the rounding of `/`. */
function divide(a: number, b: number): number {
  let q = Math.floor(a / b);
  if (q * b > a) q -= 1;
  else if ((q + 1) * b <= a) q += 1;
  return q;
}

/** Orders strings by Unicode code point (as UTF-8 bytes sort), not by UTF-16 unit. */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800–DFFF) stand for code points above U+FFFF: they sort after U+E000–FFFF.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
