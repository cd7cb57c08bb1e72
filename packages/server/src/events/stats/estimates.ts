import { chiSquareSurvival, twoSidedP, Z_95 } from './distributions.js';

/** A two-sided 95 % interval. */
export type Interval = [low: number, high: number];

/** A difference treatment − control, with its 95 % interval and two-sided p-value. */
export interface Difference {
  readonly difference: number;
  readonly interval: Interval;
  /** difference ÷ control's estimate (null when the control's is 0). */
  readonly relative: number | null;
  readonly pValue: number;
  /** The interval excludes 0 (p < 0.05). */
  readonly significant: boolean;
}

/** Wilson score interval of a proportion: honest near 0 and 1, unlike the normal one. */
export function wilsonInterval(successes: number, n: number, z = Z_95): Interval | null {
  if (n <= 0) return null;
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Difference of two proportions (treatment − control), unpooled standard error. */
export function proportionDifference(
  treatment: { successes: number; n: number },
  control: { successes: number; n: number },
  z = Z_95,
): Difference | null {
  if (treatment.n <= 0 || control.n <= 0) return null;
  const p1 = treatment.successes / treatment.n;
  const p0 = control.successes / control.n;
  const se = Math.sqrt((p1 * (1 - p1)) / treatment.n + (p0 * (1 - p0)) / control.n);
  return difference(p1 - p0, se, p0, z);
}

/** Mean and sample variance from n, Σx and Σx². */
export function meanOf(sample: {
  n: number;
  sum: number;
  sumSq: number;
}): { mean: number; variance: number | null } | null {
  if (sample.n <= 0) return null;
  const mean = sample.sum / sample.n;
  if (sample.n < 2) return { mean, variance: null };
  // Σ(x − m)² = Σx² − n m²; rounding can take it a hair below 0.
  const variance = Math.max(0, (sample.sumSq - sample.n * mean * mean) / (sample.n - 1));
  return { mean, variance };
}

/** Normal-approximation interval of a mean (fine for the sample sizes experiments have). */
export function meanInterval(sample: { n: number; sum: number; sumSq: number }, z = Z_95): Interval | null {
  const m = meanOf(sample);
  if (m === null || m.variance === null) return null;
  const half = z * Math.sqrt(m.variance / sample.n);
  return [m.mean - half, m.mean + half];
}

/** Difference of two means (treatment − control), Welch's standard error. */
export function meanDifference(
  treatment: { n: number; sum: number; sumSq: number },
  control: { n: number; sum: number; sumSq: number },
  z = Z_95,
): Difference | null {
  const t = meanOf(treatment);
  const c = meanOf(control);
  if (t === null || c === null || t.variance === null || c.variance === null) return null;
  const se = Math.sqrt(t.variance / treatment.n + c.variance / control.n);
  return difference(t.mean - c.mean, se, c.mean, z);
}

function difference(diff: number, se: number, base: number, z: number): Difference {
  const pValue = se > 0 ? twoSidedP(diff / se) : diff === 0 ? 1 : 0;
  return {
    difference: diff,
    interval: [diff - z * se, diff + z * se],
    relative: base === 0 ? null : diff / base,
    pValue,
    significant: pValue < 0.05,
  };
}

/** A sample-ratio-mismatch check: did traffic split as the weights say? */
export interface SampleRatioCheck {
  readonly chiSquare: number;
  readonly degreesOfFreedom: number;
  readonly pValue: number;
  /** Subjects expected per variant from the weights and the total observed. */
  readonly expected: Readonly<Record<string, number>>;
  /** Variants with subjects that the weights give no traffic to. */
  readonly unexpected: string[];
  /** p < `threshold` (default 0.001, the usual SRM alarm): the split is broken, distrust the results. */
  readonly mismatch: boolean;
}

/**
 * Pearson's chi-square goodness-of-fit of observed subjects against the configured
 * weights. A variant with weight 0 that has subjects is a mismatch outright.
 */
export function sampleRatioMismatch(
  observed: Readonly<Record<string, number>>,
  weights: Readonly<Record<string, number>>,
  threshold = 0.001,
): SampleRatioCheck | null {
  const variants = Object.keys(weights).filter((v) => (weights[v] ?? 0) > 0);
  const totalWeight = variants.reduce((s, v) => s + weights[v]!, 0);
  const total = Object.values(observed).reduce((s, n) => s + n, 0);
  if (variants.length < 2 || total === 0) return null;
  const expected: Record<string, number> = {};
  let chiSquare = 0;
  for (const v of variants) {
    const e = (total * weights[v]!) / totalWeight;
    expected[v] = e;
    const o = observed[v] ?? 0;
    chiSquare += ((o - e) * (o - e)) / e;
  }
  const unexpected = Object.keys(observed).filter((v) => observed[v]! > 0 && !variants.includes(v));
  const degreesOfFreedom = variants.length - 1;
  const pValue = unexpected.length > 0 ? 0 : chiSquareSurvival(chiSquare, degreesOfFreedom);
  return { chiSquare, degreesOfFreedom, pValue, expected, unexpected, mismatch: pValue < threshold };
}
