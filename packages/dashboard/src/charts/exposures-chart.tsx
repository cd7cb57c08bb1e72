import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ExposureCount } from '../api/types.js';
import { exposureSeries } from '../lib/experiment.js';
import { variantColors } from './colors.js';

/** Distinct subjects exposed per variant per day (UTC). */
export default function ExposuresChart({ counts }: { counts: readonly ExposureCount[] }) {
  const { days, variants } = exposureSeries(counts);
  if (days.length === 0) return <p className="muted">No exposures recorded yet.</p>;
  const colors = variantColors(variants);
  return (
    <figure className="chart" data-testid="exposures-chart">
      <figcaption>Subjects exposed per day (UTC), per variant</figcaption>
      <div
        role="img"
        aria-label={`Exposures per day for ${variants.join(', ')} over ${days.length} day(s)`}
        style={{ width: '100%', height: 220 }}
      >
        <ResponsiveContainer>
          <LineChart data={days} margin={{ top: 12, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="day" fontSize={12} />
            <YAxis allowDecimals={false} fontSize={12} width={48} />
            <Tooltip />
            <Legend />
            {variants.map((v) => (
              <Line
                key={v}
                dataKey={v}
                stroke={colors(v)}
                strokeWidth={2}
                dot={days.length < 30}
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
}
