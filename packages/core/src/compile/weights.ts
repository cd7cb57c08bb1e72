import { TOTAL_WEIGHT } from '../schema/primitives.js';

/**
 * Weights as cumulative thresholds over a fixed, sorted list of variant names: a
 * bucket `b` goes to the first variant `i` with `b < thresholds[i]`. Variant names
 * are ASCII, and sorted by code point, so every SDK orders them the same way.
 */
export function sortedVariantNames(...weightMaps: readonly Readonly<Record<string, number>>[]): string[] {
  const names = new Set<string>();
  for (const weights of weightMaps) for (const name of Object.keys(weights)) names.add(name);
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function thresholds(
  names: readonly string[],
  weights: Readonly<Record<string, number>>,
): Float64Array {
  const out = new Float64Array(names.length);
  let sum = 0;
  names.forEach((name, i) => {
    sum += weights[name] ?? 0;
    out[i] = sum;
  });
  return out;
}

/** The index of the variant a bucket falls into. */
export function pick(cumulative: ArrayLike<number>, bucket: number): number {
  const last = cumulative.length - 1;
  for (let i = 0; i < last; i++) if (bucket < cumulative[i]!) return i;
  return last;
}

/**
 * During a ramp, the threshold of variant `i` is
 * `floor(from[i] + (to[i] - from[i]) * f)` with `f = (now - start) / (end - start)`;
 * the last threshold stays 100 000.
 */
export function pickRamped(from: Float64Array, to: Float64Array, fraction: number, bucket: number): number {
  const last = from.length - 1;
  for (let i = 0; i < last; i++) {
    const f = from[i]!;
    if (bucket < Math.floor(f + (to[i]! - f) * fraction)) return i;
  }
  return last;
}

export { TOTAL_WEIGHT };
