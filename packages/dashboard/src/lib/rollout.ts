import type { Rollout } from '@vexil/core';

/** Weights are thousandths of a percent: 100 000 is everything. */
export const TOTAL = 100_000;

/** Variant names in bucket order (sorted by code point, as the core buckets them). */
export function variantOrder(rollout: Rollout): string[] {
  const names = new Set<string>(Object.keys(rollout.variants));
  for (const name of Object.keys(rollout.ramp?.to ?? {})) names.add(name);
  for (const step of rollout.schedule ?? []) for (const name of Object.keys(step.variants)) names.add(name);
  return [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function cumulative(names: readonly string[], weights: Readonly<Record<string, number>>): number[] {
  let sum = 0;
  return names.map((name) => {
    sum += weights[name] ?? 0;
    return sum;
  });
}

function fromCumulative(names: readonly string[], thresholds: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  names.forEach((name, i) => {
    const upper = i === names.length - 1 ? TOTAL : thresholds[i]!;
    const lower = i === 0 ? 0 : Math.min(thresholds[i - 1]!, upper);
    out[name] = Math.max(0, upper - lower);
  });
  return out;
}

/**
 * The weights in force at `now` (epoch ms), computed as the core places buckets: before a
 * ramp starts its starting weights, during it each cumulative threshold moves linearly
 * (rounded down), after it the target; for a schedule, the last step that has begun.
 * Without `now`, the starting weights (as the core does without a clock).
 */
export function weightsAt(rollout: Rollout, now?: number): Record<string, number> {
  const names = variantOrder(rollout);
  const base = cumulative(names, rollout.variants);
  if (now === undefined) return fromCumulative(names, base);
  const ramp = rollout.ramp;
  if (ramp !== undefined) {
    const start = Date.parse(ramp.start);
    const end = Date.parse(ramp.end);
    if (now >= start) {
      const to = cumulative(names, ramp.to);
      if (now >= end) return fromCumulative(names, to);
      const fraction = (now - start) / (end - start);
      return fromCumulative(
        names,
        base.map((from, i) => Math.floor(from + (to[i]! - from) * fraction)),
      );
    }
  }
  const steps = rollout.schedule;
  if (steps !== undefined) {
    for (let i = steps.length - 1; i >= 0; i--) {
      if (now >= Date.parse(steps[i]!.at))
        return fromCumulative(names, cumulative(names, steps[i]!.variants));
    }
  }
  return fromCumulative(names, base);
}

/** One bar segment of a split: a variant, its weight and its share in percent. */
export interface SplitRow {
  readonly variant: string;
  readonly weight: number;
  readonly percent: number;
}

/** A split as chart rows, in bucket order (every variant the rollout names, zeros included). */
export function splitRows(rollout: Rollout, now?: number): SplitRow[] {
  const weights = weightsAt(rollout, now);
  return variantOrder(rollout).map((variant) => ({
    variant,
    weight: weights[variant] ?? 0,
    percent: (weights[variant] ?? 0) / 1000,
  }));
}

/** One point of a split over time: `t` (epoch ms) and each variant's percent. */
export type TimelinePoint = { readonly t: number } & Readonly<Record<string, number>>;

function point(rollout: Rollout, t: number): TimelinePoint {
  const weights = weightsAt(rollout, t);
  const out: Record<string, number> = { t };
  for (const name of variantOrder(rollout)) out[name] = (weights[name] ?? 0) / 1000;
  return out as TimelinePoint;
}

/**
 * The split over time for a ramp or a schedule (undefined for a plain rollout): points from a
 * little before the first change to a little after the last, each change captured exactly
 * (a schedule's steps get a point just before and at each step), with `now` included.
 */
export function timeline(rollout: Rollout, now: number, samples = 24): TimelinePoint[] | undefined {
  const times = new Set<number>();
  if (rollout.ramp !== undefined) {
    const start = Date.parse(rollout.ramp.start);
    const end = Date.parse(rollout.ramp.end);
    const pad = Math.max((end - start) * 0.1, 60_000);
    times.add(start - pad);
    for (let i = 0; i <= samples; i++) times.add(start + ((end - start) * i) / samples);
    times.add(end + pad);
  } else if (rollout.schedule !== undefined && rollout.schedule.length > 0) {
    const ats = rollout.schedule.map((s) => Date.parse(s.at));
    const first = Math.min(...ats);
    const last = Math.max(...ats);
    const pad = Math.max((last - first) * 0.1, 3_600_000);
    times.add(first - pad);
    for (const at of ats) {
      times.add(at - 1);
      times.add(at);
    }
    times.add(last + pad);
  } else {
    return undefined;
  }
  const sorted = [...times].sort((a, b) => a - b);
  if (now > sorted[0]! && now < sorted[sorted.length - 1]!) times.add(now);
  return [...times].sort((a, b) => a - b).map((t) => point(rollout, t));
}

/** `25000` → `"25%"`, `12345` → `"12.345%"`. */
export function formatWeight(weight: number): string {
  return `${Number((weight / 1000).toFixed(3))}%`;
}

/** A percentage typed by a person (`"25"`, `"12.5"`, `"0.001"`) as a weight; undefined when not one. */
export function percentToWeight(text: string): number | undefined {
  const trimmed = text.trim().replace(/%$/, '');
  if (!/^\d{1,3}(\.\d{1,3})?$/.test(trimmed)) return undefined;
  const weight = Math.round(Number(trimmed) * 1000);
  return weight >= 0 && weight <= TOTAL ? weight : undefined;
}

/** Equal weights that sum to exactly 100 000 (the remainder goes to the first variants). */
export function evenSplit(names: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  if (names.length === 0) return out;
  const share = Math.floor(TOTAL / names.length);
  let rest = TOTAL - share * names.length;
  for (const name of names) {
    out[name] = share + (rest > 0 ? 1 : 0);
    if (rest > 0) rest--;
  }
  return out;
}

/**
 * A two-variant percentage rollout: `percent` of subjects get `on`, the rest `off`
 * (`percentageSplit('on', 'off', 25000)` → `{ on: 25000, off: 75000 }`).
 */
export function percentageSplit(on: string, off: string, weight: number): Record<string, number> {
  return on === off ? { [on]: TOTAL } : { [on]: weight, [off]: TOTAL - weight };
}

/** The sum of a set of weights (a valid split sums to 100 000). */
export function weightSum(weights: Readonly<Record<string, number>>): number {
  return Object.values(weights).reduce((a, b) => a + b, 0);
}
