import type { Rollout } from '@vexil/core';
import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatWeight, splitRows } from '../lib/rollout.js';
import { variantColors } from './colors.js';

/** A rollout's split as one 100 % stacked bar, with the numbers beside it. */
export default function RolloutChart({
  rollout,
  now,
  title,
}: {
  rollout: Rollout;
  now?: number | undefined;
  title?: string;
}) {
  const rows = splitRows(rollout, now);
  const colors = variantColors(rows.map((r) => r.variant));
  const datum: Record<string, number | string> = { name: 'split' };
  for (const row of rows) datum[row.variant] = row.percent;
  const summary = rows.map((r) => `${r.variant} ${formatWeight(r.weight)}`).join(', ');
  return (
    <figure className="chart rollout-chart" data-testid="rollout-chart">
      <figcaption>{title ?? 'Rollout split'}</figcaption>
      <div
        role="img"
        aria-label={`${title ?? 'Rollout split'}: ${summary}`}
        style={{ width: '100%', height: 44 }}
      >
        <ResponsiveContainer>
          <BarChart
            data={[datum]}
            layout="vertical"
            margin={{ top: 2, right: 2, bottom: 2, left: 2 }}
            barSize={28}
          >
            <XAxis type="number" domain={[0, 100]} hide />
            <YAxis type="category" dataKey="name" hide />
            <Tooltip formatter={(value) => `${Number(value)}%`} cursor={false} />
            {rows.map((row) => (
              <Bar
                key={row.variant}
                dataKey={row.variant}
                stackId="split"
                fill={colors(row.variant)}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ul className="legend">
        {rows.map((row) => (
          <li key={row.variant}>
            <span className="swatch" style={{ background: colors(row.variant) }} aria-hidden="true" />
            <span className="legend-name">{row.variant}</span> <strong>{formatWeight(row.weight)}</strong>
          </li>
        ))}
      </ul>
    </figure>
  );
}
