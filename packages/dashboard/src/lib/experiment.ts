import type { ExposureCount, MetricResult } from '../api/types.js';

/** One bar of a metric chart: the estimate and its 95 % interval, as offsets for an error bar. */
export interface MetricBar {
  readonly variant: string;
  readonly value: number;
  readonly low: number;
  readonly high: number;
  /** `[value − low, high − value]`: what an asymmetric error bar draws. */
  readonly error: [number, number];
  readonly control: boolean;
}

/**
 * A metric's variants as chart bars (variants without data left out). Conversion rates
 * are in percent.
 */
export function metricBars(metric: MetricResult, control: string): MetricBar[] {
  const scale = metric.kind === 'conversion' ? 100 : 1;
  return metric.variants.flatMap((v) => {
    if (v.value === null) return [];
    const value = v.value * scale;
    const [low, high] = v.interval === null ? [value, value] : [v.interval[0] * scale, v.interval[1] * scale];
    return [
      {
        variant: v.variant,
        value,
        low,
        high,
        error: [Math.max(0, value - low), Math.max(0, high - value)] as [number, number],
        control: v.variant === control,
      },
    ];
  });
}

/** A metric value for people: `12.3%` for a rate, `4.56` for a mean or sum. */
export function formatMetric(kind: MetricResult['kind'], value: number | null): string {
  if (value === null) return '—';
  if (kind === 'conversion') return `${(value * 100).toFixed(value < 0.01 ? 2 : 1)}%`;
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toPrecision(3);
}

/** A p-value for people. */
export function formatP(p: number): string {
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** One day of exposures: distinct subjects per variant. */
export type ExposureDay = { readonly day: string } & Readonly<Record<string, number | string>>;

/** Exposure counts (per variant per day) as chart rows, days in order, missing days as zero. */
export function exposureSeries(counts: readonly ExposureCount[]): {
  days: ExposureDay[];
  variants: string[];
} {
  const variants = [...new Set(counts.map((c) => c.variant))].sort();
  const byDay = new Map<string, Record<string, number | string>>();
  for (const c of counts) {
    const row = byDay.get(c.day) ?? { day: c.day };
    row[c.variant] = (Number(row[c.variant] ?? 0) || 0) + c.subjects;
    byDay.set(c.day, row);
  }
  const days = [...byDay.keys()].sort().map((day) => {
    const row = byDay.get(day)!;
    for (const v of variants) if (row[v] === undefined) row[v] = 0;
    return row as ExposureDay;
  });
  return { days, variants };
}
