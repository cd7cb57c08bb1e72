import type { Rollout } from '@vexil/core';
import {
  Area,
  AreaChart,
  CartesianGrid,
  Legend,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { timeline, variantOrder } from '../lib/rollout.js';
import { variantColors } from './colors.js';

const dateTick = (t: number) =>
  new Date(t).toLocaleString(undefined, {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });

/** How a ramp or a schedule moves the split over time, with "now" marked. */
export default function TimelineChart({ rollout, now }: { rollout: Rollout; now: number }) {
  const points = timeline(rollout, now);
  if (points === undefined) return null;
  const names = variantOrder(rollout);
  const colors = variantColors(names);
  const first = points[0]!.t;
  const last = points[points.length - 1]!.t;
  const kind = rollout.ramp !== undefined ? 'Ramp' : 'Schedule';
  const nowInside = now >= first && now <= last;
  return (
    <figure className="chart timeline-chart" data-testid="timeline-chart">
      <figcaption>
        {kind}: the split over time{' '}
        {nowInside ? '(the line marks now)' : now < first ? '(starts later)' : '(finished)'}
      </figcaption>
      <div
        role="img"
        aria-label={`${kind} of the split between ${names.join(', ')} from ${dateTick(first)} to ${dateTick(last)}`}
        style={{ width: '100%', height: 220 }}
      >
        <ResponsiveContainer>
          <AreaChart data={points} margin={{ top: 16, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="t"
              type="number"
              scale="time"
              domain={[first, last]}
              tickFormatter={dateTick}
              minTickGap={40}
              fontSize={12}
            />
            <YAxis domain={[0, 100]} unit="%" width={48} fontSize={12} />
            <Tooltip
              labelFormatter={(t) => dateTick(Number(t))}
              formatter={(v) =>
                `${Number(v)
                  .toFixed(3)
                  .replace(/\.?0+$/, '')}%`
              }
            />
            <Legend />
            {names.map((name) => (
              <Area
                key={name}
                dataKey={name}
                stackId="split"
                type={rollout.ramp !== undefined ? 'linear' : 'stepAfter'}
                stroke={colors(name)}
                fill={colors(name)}
                fillOpacity={0.55}
                isAnimationActive={false}
              />
            ))}
            {nowInside && (
              <ReferenceLine
                x={now}
                stroke="#111827"
                strokeDasharray="4 2"
                label={{ value: 'now', position: 'top', fontSize: 12 }}
              />
            )}
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
