import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { MetricResult } from '../api/types.js';
import { formatMetric, metricBars } from '../lib/experiment.js';
import { variantColors } from './colors.js';

/** A metric per variant with its 95 % interval as an error bar. */
export default function ExperimentChart({
  metric,
  control,
  variants,
}: {
  metric: MetricResult;
  control: string;
  variants: readonly string[];
}) {
  const bars = metricBars(metric, control);
  const colors = variantColors(variants);
  const unit = metric.kind === 'conversion' ? '%' : '';
  const label = bars
    .map((b) => `${b.variant} ${b.value.toFixed(2)}${unit} (95% ${b.low.toFixed(2)}–${b.high.toFixed(2)})`)
    .join('; ');
  if (bars.length === 0) return <p className="muted">No data for {metric.event} yet.</p>;
  return (
    <figure className="chart experiment-chart" data-testid="experiment-chart">
      <figcaption>
        {metric.kind === 'conversion'
          ? 'Conversion rate'
          : metric.kind === 'sum'
            ? 'Value per subject'
            : 'Mean value'}{' '}
        of <code>{metric.event}</code> per variant, with 95% intervals
      </figcaption>
      <div role="img" aria-label={label} style={{ width: '100%', height: 240 }}>
        <ResponsiveContainer>
          <BarChart data={bars} margin={{ top: 12, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
            <XAxis dataKey="variant" fontSize={12} />
            <YAxis unit={unit} fontSize={12} width={56} />
            <Tooltip
              formatter={(_v, _n, item) => {
                const b = item.payload as (typeof bars)[number];
                return [
                  `${formatMetric(metric.kind, metric.kind === 'conversion' ? b.value / 100 : b.value)} (95%: ${b.low.toFixed(2)}–${b.high.toFixed(2)}${unit})`,
                  metric.event,
                ];
              }}
            />
            <Bar dataKey="value" isAnimationActive={false}>
              {bars.map((b) => (
                <Cell key={b.variant} fill={colors(b.variant)} fillOpacity={b.control ? 0.55 : 0.9} />
              ))}
              <ErrorBar
                dataKey="error"
                width={10}
                strokeWidth={1.5}
                stroke="#111827"
                direction="y"
                isAnimationActive={false}
              />
            </Bar>
          </BarChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
