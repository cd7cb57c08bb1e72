import { describe, expect, it } from 'vitest';
import type { MetricResult } from '../api/types.js';
import { exposureSeries, formatMetric, formatP, metricBars } from './experiment.js';

const metric: MetricResult = {
  event: 'purchase',
  kind: 'conversion',
  higherIsBetter: true,
  variants: [
    {
      variant: 'a',
      subjects: 100,
      conversions: 10,
      total: 10,
      value: 0.1,
      sampleSize: 100,
      interval: [0.05, 0.17],
      vsControl: null,
    },
    {
      variant: 'b',
      subjects: 0,
      conversions: 0,
      total: 0,
      value: null,
      sampleSize: 0,
      interval: null,
      vsControl: null,
    },
  ],
};

describe('metricBars', () => {
  it('gives conversion rates in percent with error-bar offsets, leaving out variants without data', () => {
    const bars = metricBars(metric, 'a');
    expect(bars).toHaveLength(1);
    expect(bars[0]!.value).toBeCloseTo(10);
    expect(bars[0]!.error[0]).toBeCloseTo(5);
    expect(bars[0]!.error[1]).toBeCloseTo(7);
    expect(bars[0]!.control).toBe(true);
  });

  it('formats rates, values and p-values', () => {
    expect(formatMetric('conversion', 0.1234)).toBe('12.3%');
    expect(formatMetric('mean', 4.567)).toBe('4.57');
    expect(formatMetric('sum', null)).toBe('—');
    expect(formatP(0.0001)).toBe('p < 0.001');
    expect(formatP(0.04)).toBe('p = 0.040');
  });
});

describe('exposureSeries', () => {
  it('puts days in order with every variant, zero where it had none', () => {
    const series = exposureSeries([
      { environment: 'production', flag: 'f', variant: 'b', day: '2026-12-02', exposures: 5, subjects: 4 },
      { environment: 'production', flag: 'f', variant: 'a', day: '2026-12-01', exposures: 3, subjects: 3 },
    ]);
    expect(series.variants).toEqual(['a', 'b']);
    expect(series.days).toEqual([
      { day: '2026-12-01', a: 3, b: 0 },
      { day: '2026-12-02', a: 0, b: 4 },
    ]);
  });
});
