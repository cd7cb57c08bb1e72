import type { Experiment } from '@vexil/core';
import type { ExperimentData, MetricAggregate } from '../../stores/event-types.js';
import {
  type Difference,
  type Interval,
  meanDifference,
  meanInterval,
  meanOf,
  proportionDifference,
  type SampleRatioCheck,
  sampleRatioMismatch,
  wilsonInterval,
} from './estimates.js';

export type MetricKind = 'conversion' | 'sum' | 'mean';

/** One variant's figures for one metric. */
export interface MetricVariantResult {
  readonly variant: string;
  /** Subjects exposed to the variant. */
  readonly subjects: number;
  /** Subjects with at least one such event after their first exposure. */
  readonly conversions: number;
  /** Sum of the events' values. */
  readonly total: number;
  /**
   * The metric's estimate: `conversion` → conversions ÷ subjects; `sum` → value per
   * subject (total ÷ subjects); `mean` → mean value per subject that had a valued event.
   */
  readonly value: number | null;
  /** How many subjects `value` is taken over. */
  readonly sampleSize: number;
  /** 95 % interval of `value` (Wilson for a rate, normal for a mean). */
  readonly interval: Interval | null;
  /** Against the control variant (null for the control itself, or without enough data). */
  readonly vsControl: (Difference & { better: boolean | null }) | null;
}

export interface MetricResult {
  readonly event: string;
  readonly kind: MetricKind;
  readonly higherIsBetter: boolean;
  readonly variants: MetricVariantResult[];
}

export interface ExperimentResults {
  readonly control: string;
  readonly variants: { variant: string; weight: number; subjects: number }[];
  /** Subjects that saw more than one variant: left out of every figure. */
  readonly mixedSubjects: number;
  /**
   * null when fewer than two variants have weight, nobody was exposed yet, or the experiment
   * is weighted by a table (`weightedBy`): its arms are balanced by subject weight, so their
   * head counts are not expected to follow the variants' weights.
   */
  readonly sampleRatio: SampleRatioCheck | null;
  readonly metrics: MetricResult[];
}

/**
 * Analyses an experiment from its aggregated exposures and events (pure: no I/O). The
 * control is `control`, else a variant named `control`, else the first variant.
 */
export function analyzeExperiment(
  experiment: Experiment,
  data: ExperimentData,
  control?: string,
): ExperimentResults {
  const weights = experiment.variants;
  const names = [...Object.keys(weights)];
  for (const v of data.variants) if (!names.includes(v.variant)) names.push(v.variant);
  const chosen = control ?? (names.includes('control') ? 'control' : names[0]!);
  const subjects = Object.fromEntries(data.variants.map((v) => [v.variant, v.subjects]));
  const metricKinds = new Map((experiment.metrics ?? []).map((m) => [m.event, m]));
  return {
    control: chosen,
    variants: names.map((variant) => ({
      variant,
      weight: weights[variant] ?? 0,
      subjects: subjects[variant] ?? 0,
    })),
    mixedSubjects: data.mixedSubjects,
    sampleRatio: experiment.weightedBy === undefined ? sampleRatioMismatch(subjects, weights) : null,
    metrics: data.metrics.map(({ event, rows }) => {
      const metric = metricKinds.get(event);
      const kind = metric?.kind ?? 'conversion';
      const higherIsBetter = metric?.higherIsBetter ?? true;
      const byVariant = new Map(rows.map((r) => [r.variant, r]));
      const row = (variant: string): MetricAggregate =>
        byVariant.get(variant) ?? empty(variant, subjects[variant] ?? 0);
      const controlRow = row(chosen);
      return {
        event,
        kind,
        higherIsBetter,
        variants: names.map((variant) => {
          const r = row(variant);
          const own = estimate(kind, r);
          const vs = variant === chosen ? null : compare(kind, r, controlRow);
          return {
            variant,
            subjects: r.subjects,
            conversions: r.converted,
            total: r.total,
            ...own,
            vsControl:
              vs === null
                ? null
                : { ...vs, better: vs.significant ? vs.difference > 0 === higherIsBetter : null },
          };
        }),
      };
    }),
  };
}

function empty(variant: string, subjects: number): MetricAggregate {
  return { variant, subjects, converted: 0, total: 0, totalSq: 0, valued: 0, meanSum: 0, meanSumSq: 0 };
}

/** The sample a kind of metric averages over. */
function sample(kind: MetricKind, r: MetricAggregate): { n: number; sum: number; sumSq: number } {
  if (kind === 'sum') return { n: r.subjects, sum: r.total, sumSq: r.totalSq };
  return { n: r.valued, sum: r.meanSum, sumSq: r.meanSumSq };
}

function estimate(
  kind: MetricKind,
  r: MetricAggregate,
): { value: number | null; sampleSize: number; interval: Interval | null } {
  if (kind === 'conversion') {
    return {
      value: r.subjects > 0 ? r.converted / r.subjects : null,
      sampleSize: r.subjects,
      interval: wilsonInterval(r.converted, r.subjects),
    };
  }
  const s = sample(kind, r);
  return { value: meanOf(s)?.mean ?? null, sampleSize: s.n, interval: meanInterval(s) };
}

function compare(kind: MetricKind, treatment: MetricAggregate, control: MetricAggregate): Difference | null {
  if (kind === 'conversion') {
    return proportionDifference(
      { successes: treatment.converted, n: treatment.subjects },
      { successes: control.converted, n: control.subjects },
    );
  }
  return meanDifference(sample(kind, treatment), sample(kind, control));
}
