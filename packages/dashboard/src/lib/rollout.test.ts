import { bucket, evaluate, parseFlagSet, type Rollout } from '@vexil/core';
import { describe, expect, it } from 'vitest';
import {
  evenSplit,
  formatWeight,
  percentageSplit,
  percentToWeight,
  splitRows,
  timeline,
  variantOrder,
  weightsAt,
} from './rollout.js';

const start = Date.parse('2026-12-01T00:00:00Z');
const end = Date.parse('2026-12-11T00:00:00Z');
const ramp: Rollout = {
  variants: { off: 90_000, on: 10_000 },
  ramp: {
    start: new Date(start).toISOString(),
    end: new Date(end).toISOString(),
    to: { off: 0, on: 100_000 },
  },
};

describe('weightsAt', () => {
  it('gives the starting weights before a ramp, the target after it and a straight line between', () => {
    expect(weightsAt(ramp, start - 1)).toEqual({ off: 90_000, on: 10_000 });
    expect(weightsAt(ramp, end)).toEqual({ off: 0, on: 100_000 });
    expect(weightsAt(ramp, (start + end) / 2)).toEqual({ off: 45_000, on: 55_000 });
  });

  it('uses the starting weights when no time is given, as the core does without a clock', () => {
    expect(weightsAt(ramp)).toEqual({ off: 90_000, on: 10_000 });
  });

  it('takes the last schedule step that has begun', () => {
    const rollout: Rollout = {
      variants: { a: 100_000, b: 0 },
      schedule: [
        { at: '2026-12-01T00:00:00Z', variants: { a: 50_000, b: 50_000 } },
        { at: '2026-12-02T00:00:00Z', variants: { a: 0, b: 100_000 } },
      ],
    };
    expect(weightsAt(rollout, Date.parse('2026-11-30T00:00:00Z'))).toEqual({ a: 100_000, b: 0 });
    expect(weightsAt(rollout, Date.parse('2026-12-01T12:00:00Z'))).toEqual({ a: 50_000, b: 50_000 });
    expect(weightsAt(rollout, Date.parse('2026-12-03T00:00:00Z'))).toEqual({ a: 0, b: 100_000 });
  });

  it('places subjects exactly as the core evaluates them, mid-ramp', () => {
    const rollout: Rollout = {
      variants: { a: 20_000, b: 30_000, c: 50_000 },
      seed: 'dashboard-test',
      ramp: { start: ramp.ramp!.start, end: ramp.ramp!.end, to: { a: 60_000, b: 10_000, c: 30_000 } },
    };
    const set = parseFlagSet({
      flags: {
        f: { type: 'string', variants: { a: 'a', b: 'b', c: 'c' }, enabled: true, defaultServe: { rollout } },
      },
    });
    for (const now of [start + 3_600_000, start + 3.7 * 86_400_000, end - 1]) {
      const weights = weightsAt(rollout, now);
      const names = variantOrder(rollout);
      for (let i = 0; i < 500; i++) {
        const key = `user-${i}`;
        const b = bucket('dashboard-test', key);
        const upper = (i: number) =>
          names.slice(0, i + 1).reduce((sum, name) => sum + (weights[name] ?? 0), 0);
        const expected = names.find((_, i) => b < upper(i)) ?? names[names.length - 1];
        expect(evaluate(set, 'f', { targetingKey: key }, { now }).variant).toBe(expected);
      }
    }
  });
});

describe('splitRows and timeline', () => {
  it('lists every variant in bucket order with its percent', () => {
    expect(splitRows({ variants: { on: 25_000, off: 75_000 } })).toEqual([
      { variant: 'off', weight: 75_000, percent: 75 },
      { variant: 'on', weight: 25_000, percent: 25 },
    ]);
  });

  it('draws a ramp from a little before it starts to a little after it ends, with now included', () => {
    const now = start + 86_400_000 + 12_345;
    const points = timeline(ramp, now)!;
    expect(points[0]!.t).toBeLessThan(start);
    expect(points[points.length - 1]!.t).toBeGreaterThan(end);
    expect(points.some((p) => p.t === now)).toBe(true);
    for (const p of points) expect((p.on ?? 0) + (p.off ?? 0)).toBeCloseTo(100, 6);
    expect(points.map((p) => p.t)).toEqual([...points.map((p) => p.t)].sort((a, b) => a - b));
  });

  it('has no timeline for a plain rollout', () => {
    expect(timeline({ variants: { on: 100_000 } }, start)).toBeUndefined();
  });
});

describe('weights as people write them', () => {
  it('formats thousandths of a percent without trailing zeros', () => {
    expect(formatWeight(25_000)).toBe('25%');
    expect(formatWeight(12_345)).toBe('12.345%');
    expect(formatWeight(1)).toBe('0.001%');
  });

  it('reads percentages with up to three decimals and refuses anything else', () => {
    expect(percentToWeight('25')).toBe(25_000);
    expect(percentToWeight('12.5%')).toBe(12_500);
    expect(percentToWeight('0.001')).toBe(1);
    expect(percentToWeight('100.1')).toBeUndefined();
    expect(percentToWeight('1.0001')).toBeUndefined();
    expect(percentToWeight('-3')).toBeUndefined();
    expect(percentToWeight('abc')).toBeUndefined();
  });

  it('splits evenly into weights that sum to exactly 100 000', () => {
    expect(evenSplit(['a', 'b', 'c'])).toEqual({ a: 33_334, b: 33_333, c: 33_333 });
    expect(percentageSplit('on', 'off', 25_000)).toEqual({ on: 25_000, off: 75_000 });
  });
});
