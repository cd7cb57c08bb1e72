import type { Histogram } from 'prom-client';

/** The per-label-set record a prom-client histogram keeps (prom-client 15's `hashMap` values). */
interface PromEntry {
  labels: Record<string, string | number>;
  bucketValues: Record<string, number>;
  sum: number;
  count: number;
}

/** The prom-client 15 internals used: the records by label hash, and the bucket bounds. */
interface PromHistogram {
  hashMap: Record<string, PromEntry>;
  upperBounds: readonly number[];
  collect?: () => void | Promise<void>;
}

/** Observations of one label set (see `histogramSeries`). */
export interface HistogramSeries {
  observe(value: number): void;
}

class LocalSeries implements HistogramSeries {
  /** Observations per bucket not yet added to the record. */
  readonly pending: number[];
  /** The histogram's record of this label set, and the record map it is in. */
  entry: PromEntry | undefined;
  map: Record<string, PromEntry> | undefined;

  constructor(
    readonly labels: Record<string, string | number>,
    private readonly metric: PromHistogram,
    private readonly register: (series: LocalSeries) => void,
  ) {
    this.pending = metric.upperBounds.map(() => 0);
  }

  observe(value: number): void {
    if (this.map !== this.metric.hashMap) this.register(this); // the first time, and after a reset()
    const entry = this.entry!;
    entry.sum += value;
    entry.count += 1;
    const bounds = this.metric.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (value <= bounds[i]!) {
        this.pending[i]!++;
        return;
      }
    }
  }
}

/**
 * Fast observations for a prom-client histogram with fixed label sets: `series(labels)` once
 * per label set, then `observe(seconds)` per event costs a few additions — no label hashing,
 * no number-keyed property lookups (prom-client's own `observe` costs microseconds, and this
 * runs on every request). Sum and count go straight into the histogram's record; bucket
 * counts are added when the histogram is read (a scrape, or `get()`). What it exports is
 * exactly what `histogram.observe(labels, value)` for each value would export. `reset()` is
 * honoured; `remove()` of a label set made here is not supported.
 * @example
 * const series = histogramSeries(metrics.httpDuration).series({ method, route });
 * series.observe(0.0012);
 */
export function histogramSeries(histogram: Histogram<string>): {
  series(labels: Record<string, string | number>): HistogramSeries;
} {
  const metric = histogram as unknown as PromHistogram;
  if (!Array.isArray(metric.upperBounds) || typeof metric.hashMap !== 'object')
    throw new Error('prom-client histograms changed shape: histogramSeries needs upperBounds and hashMap');
  const all: LocalSeries[] = [];
  // The record of a label set: found, or made (`zero`) as prom-client's observe would make
  // it, so that series are listed in the same order.
  const register = (series: LocalSeries): void => {
    const names = Object.keys(series.labels);
    const same = (entry: PromEntry) => names.every((n) => entry.labels[n] === series.labels[n]);
    let entry = Object.values(metric.hashMap).find(same);
    if (entry === undefined) {
      histogram.zero(series.labels as Record<string, string>);
      entry = Object.values(metric.hashMap).find(same)!;
    }
    series.entry = entry;
    series.map = metric.hashMap;
    series.pending.fill(0);
  };
  const flush = () => {
    const bounds = metric.upperBounds;
    for (const series of all) {
      const entry = series.entry;
      if (entry === undefined || series.map !== metric.hashMap) continue; // reset() since: dropped
      for (let i = 0; i < bounds.length; i++) {
        if (series.pending[i] === 0) continue;
        entry.bucketValues[bounds[i]!] = (entry.bucketValues[bounds[i]!] ?? 0) + series.pending[i]!;
        series.pending[i] = 0;
      }
    }
  };
  const previous = metric.collect;
  metric.collect = () => {
    flush();
    return previous?.call(histogram);
  };
  return {
    series(labels) {
      const series = new LocalSeries(labels, metric, register);
      all.push(series);
      return series;
    },
  };
}
