import {
  Bar,
  CartesianGrid,
  Cell,
  ComposedChart,
  Line,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { formatShare, type ParetoRow } from '../lib/subject-weights.js';

const BAR = '#0072B2';
const OTHERS = '#9ca3af';
const LINE = '#D55E00';

const shortName = (name: string) => (name.length > 14 ? `${name.slice(0, 13)}…` : name);

/**
 * A Pareto chart of a weight table: each of the heaviest subjects' share of the weight
 * (bars, the rest in one grey bar) and the running total (line), with half the weight marked.
 */
export default function WeightsChart({ rows }: { rows: readonly ParetoRow[] }) {
  if (rows.length === 0) return <p className="muted">No subjects yet: nothing to chart.</p>;
  const label = `Share of the weight, heaviest first: ${rows
    .map((r) => `${r.name} ${formatShare(r.share / 100)}`)
    .join(', ')}`;
  return (
    <figure className="chart weights-chart" data-testid="weights-chart">
      <figcaption>
        Share of the total weight per subject, heaviest first (bars), and the running total (line)
      </figcaption>
      <div role="img" aria-label={label} style={{ width: '100%', height: 280 }}>
        <ResponsiveContainer>
          <ComposedChart data={rows as ParetoRow[]} margin={{ top: 12, right: 16, bottom: 28, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" vertical={false} />
            <XAxis
              dataKey="name"
              fontSize={11}
              interval={0}
              angle={-30}
              textAnchor="end"
              height={48}
              tickFormatter={shortName}
            />
            <YAxis domain={[0, 100]} unit="%" fontSize={12} width={48} />
            <Tooltip
              formatter={(value, name) => [
                formatShare(Number(value) / 100),
                name === 'cumulative' ? 'running total' : 'share',
              ]}
            />
            <ReferenceLine
              y={50}
              stroke="#6b7280"
              strokeDasharray="4 4"
              label={{ value: 'half the weight', position: 'insideTopRight', fontSize: 11 }}
            />
            <Bar dataKey="share" isAnimationActive={false}>
              {rows.map((r) => (
                <Cell key={r.name} fill={r.others === undefined ? BAR : OTHERS} />
              ))}
            </Bar>
            <Line
              dataKey="cumulative"
              stroke={LINE}
              strokeWidth={2}
              dot={{ r: 2 }}
              isAnimationActive={false}
            />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
