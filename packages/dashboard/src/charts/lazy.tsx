import type { Rollout } from '@vexil/core';
import { lazy, Suspense } from 'react';
import type { ExposureCount, MetricResult } from '../api/types.js';
import type { ParetoRow } from '../lib/subject-weights.js';

// recharts is the heaviest dependency: it loads only when a chart is on screen.
const RolloutChartImpl = lazy(() => import('./rollout-chart.js'));
const TimelineChartImpl = lazy(() => import('./timeline-chart.js'));
const ExperimentChartImpl = lazy(() => import('./experiment-chart.js'));
const ExposuresChartImpl = lazy(() => import('./exposures-chart.js'));
const WeightsChartImpl = lazy(() => import('./weights-chart.js'));

function Placeholder({ height }: { height: number }) {
  return <div className="chart-placeholder" style={{ height }} aria-hidden="true" />;
}

export function RolloutChart(props: { rollout: Rollout; now?: number | undefined; title?: string }) {
  return (
    <Suspense fallback={<Placeholder height={90} />}>
      <RolloutChartImpl {...props} />
    </Suspense>
  );
}

export function TimelineChart(props: { rollout: Rollout; now: number }) {
  return (
    <Suspense fallback={<Placeholder height={240} />}>
      <TimelineChartImpl {...props} />
    </Suspense>
  );
}

export function ExperimentChart(props: {
  metric: MetricResult;
  control: string;
  variants: readonly string[];
}) {
  return (
    <Suspense fallback={<Placeholder height={260} />}>
      <ExperimentChartImpl {...props} />
    </Suspense>
  );
}

export function ExposuresChart(props: { counts: readonly ExposureCount[] }) {
  return (
    <Suspense fallback={<Placeholder height={240} />}>
      <ExposuresChartImpl {...props} />
    </Suspense>
  );
}

export function WeightsChart(props: { rows: readonly ParetoRow[] }) {
  return (
    <Suspense fallback={<Placeholder height={300} />}>
      <WeightsChartImpl {...props} />
    </Suspense>
  );
}
