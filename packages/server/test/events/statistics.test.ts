import { describe, expect, it } from 'vitest';
import {
  chiSquareSurvival,
  lnGamma,
  normalCdf,
  twoSidedP,
  Z_95,
} from '../../src/events/stats/distributions.js';
import {
  meanDifference,
  meanInterval,
  proportionDifference,
  sampleRatioMismatch,
  wilsonInterval,
} from '../../src/events/stats/estimates.js';

// Reference values from SciPy 1.17 (scipy.stats.norm, chi2, chisquare) and Python's math module.

describe('distributions', () => {
  it('computes ln Γ like math.lgamma', () => {
    expect(lnGamma(0.5)).toBeCloseTo(0.5723649429247004, 12);
    expect(lnGamma(10)).toBeCloseTo(12.801827480081467, 11);
    expect(lnGamma(100.5)).toBeCloseTo(361.4355404677776, 9);
  });

  it('computes the standard normal CDF', () => {
    expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517796, 12);
    expect(normalCdf(-1)).toBeCloseTo(0.15865525393145707, 12);
    expect(normalCdf(3)).toBeCloseTo(0.9986501019683699, 12);
    expect(normalCdf(0)).toBeCloseTo(0.5, 14);
    expect(normalCdf(Z_95)).toBeCloseTo(0.975, 12);
    expect(twoSidedP(Z_95)).toBeCloseTo(0.05, 12);
  });

  it('computes chi-square tail probabilities', () => {
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(5.991464547107979, 2)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(7.814727903251178, 3)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(20, 4)).toBeCloseTo(0.0004993992273873336, 14);
    expect(chiSquareSurvival(0.5, 1)).toBeCloseTo(0.47950012218695337, 12);
    expect(chiSquareSurvival(150, 2) / 2.678636961808087e-33).toBeCloseTo(1, 9);
    expect(chiSquareSurvival(0, 3)).toBe(1);
  });
});

describe('estimates', () => {
  it('gives the Wilson interval of a rate, inside [0, 1]', () => {
    const [low, high] = wilsonInterval(10, 100)!;
    expect(low).toBeCloseTo(0.0552291370606751, 12);
    expect(high).toBeCloseTo(0.17436566150491345, 12);
    const [zeroLow, zeroHigh] = wilsonInterval(0, 20)!;
    expect(zeroLow).toBe(0);
    expect(zeroHigh).toBeCloseTo(0.16112515805281938, 12);
    expect(wilsonInterval(0, 0)).toBeNull();
  });

  it('compares two rates with an interval and a p-value', () => {
    const d = proportionDifference({ successes: 120, n: 1000 }, { successes: 100, n: 1000 })!;
    expect(d.difference).toBeCloseTo(0.02, 12);
    expect(d.interval[0]).toBeCloseTo(-0.0074114819980199455, 12);
    expect(d.interval[1]).toBeCloseTo(0.04741148199801992, 12);
    expect(d.pValue).toBeCloseTo(0.15270801019387803, 10);
    expect(d.relative).toBeCloseTo(0.2, 12);
    expect(d.significant).toBe(false);
    expect(proportionDifference({ successes: 300, n: 1000 }, { successes: 100, n: 1000 })!.significant).toBe(
      true,
    );
    expect(proportionDifference({ successes: 1, n: 0 }, { successes: 1, n: 10 })).toBeNull();
  });

  it('compares two means with Welch’s standard error', () => {
    // treatment 3 5 7 9 11, control 2 4 4 6
    const treatment = { n: 5, sum: 35, sumSq: 285 };
    const control = { n: 4, sum: 16, sumSq: 72 };
    const d = meanDifference(treatment, control)!;
    expect(d.difference).toBeCloseTo(3, 12);
    expect(d.interval[0]).toBeCloseTo(-0.20060778423687342, 10);
    expect(d.interval[1]).toBeCloseTo(6.200607784236873, 10);
    expect(d.pValue).toBeCloseTo(0.06619257972219345, 10);
    const [low, high] = meanInterval(treatment)!;
    expect(low).toBeCloseTo(4.2281923513006445, 10);
    expect(high).toBeCloseTo(9.771807648699355, 10);
    expect(meanDifference({ n: 1, sum: 3, sumSq: 9 }, control)).toBeNull();
  });

  it('flags a sample ratio mismatch against the configured weights', () => {
    const fine = sampleRatioMismatch({ a: 5000, b: 2600, c: 2400 }, { a: 50_000, b: 25_000, c: 25_000 })!;
    expect(fine.chiSquare).toBeCloseTo(8, 12);
    expect(fine.degreesOfFreedom).toBe(2);
    expect(fine.pValue).toBeCloseTo(0.018315638888734182, 12);
    expect(fine.expected).toEqual({ a: 5000, b: 2500, c: 2500 });
    expect(fine.mismatch).toBe(false);

    const broken = sampleRatioMismatch({ a: 5200, b: 4800 }, { a: 50_000, b: 50_000 })!;
    expect(broken.chiSquare).toBeCloseTo(16, 12);
    expect(broken.pValue).toBeCloseTo(6.334248366623977e-5, 14);
    expect(broken.mismatch).toBe(true);
  });

  it('treats subjects in a variant without weight as a mismatch, and needs two weighted variants', () => {
    const check = sampleRatioMismatch({ a: 50, b: 50, off: 3 }, { a: 50_000, b: 50_000, off: 0 })!;
    expect(check.unexpected).toEqual(['off']);
    expect(check.mismatch).toBe(true);
    expect(sampleRatioMismatch({ a: 10 }, { a: 100_000 })).toBeNull();
    expect(sampleRatioMismatch({}, { a: 50_000, b: 50_000 })).toBeNull();
  });
});
