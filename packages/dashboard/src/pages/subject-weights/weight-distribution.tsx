import { memo, useMemo, useState } from 'react';
import { WeightsChart } from '../../charts/lazy.js';
import { percentToWeight } from '../../lib/rollout.js';
import {
  concentration,
  formatCount,
  formatShare,
  paretoRows,
  type Subject,
  weightedReach,
} from '../../lib/subject-weights.js';

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

/**
 * How a table's weight is spread (as saved): a Pareto chart of the heaviest subjects, how few
 * of them hold half the weight, and how many subjects a weighted rollout of a given size serves.
 * Memoized: typing in the subjects editor below doesn't redraw the chart.
 */
export const WeightDistribution = memo(function WeightDistribution({
  sorted,
  total,
}: {
  sorted: readonly Subject[];
  total: number;
}) {
  const rows = useMemo(() => paretoRows(sorted, total), [sorted, total]);
  const c = useMemo(() => concentration(sorted, total), [sorted, total]);
  const [percent, setPercent] = useState('10');
  const threshold = percentToWeight(percent);
  const reach = useMemo(
    () => (threshold === undefined ? undefined : weightedReach(sorted, total, threshold)),
    [sorted, total, threshold],
  );
  if (c.heaviest === undefined) {
    return (
      <section className="card" aria-labelledby="distribution-title">
        <h2 id="distribution-title">Distribution</h2>
        <p className="muted">No subjects yet: add some below.</p>
      </section>
    );
  }
  const s = c.heaviest.share;
  return (
    <section className="card" aria-labelledby="distribution-title">
      <h2 id="distribution-title">Distribution</h2>
      <WeightsChart rows={rows} />
      <ul className="plain weight-facts">
        <li>
          The heaviest subject, <code>{c.heaviest.subject}</code>, holds <strong>{formatShare(s)}</strong> of
          the weight.
        </li>
        <li data-testid="half-weight">
          Half the weight is held by the heaviest <strong>{plural(c.halfHeldBy, 'subject')}</strong> of{' '}
          {formatCount(c.subjects)} ({formatShare(c.halfHeldBy / c.subjects)} of them); the heaviest fifth
          holds {formatShare(c.topFifthShare)}.
        </li>
      </ul>
      <div className="reach">
        <p>
          <label>
            A weighted rollout of{' '}
            <input
              className="percent-input"
              aria-label="Rollout percentage"
              inputMode="decimal"
              value={percent}
              onChange={(e) => setPercent(e.target.value)}
            />{' '}
            %
          </label>{' '}
          {reach === undefined || threshold === undefined ? (
            <span className="danger-text">: give a percentage from 0 to 100 (up to three decimals).</span>
          ) : (
            <span data-testid="weighted-reach">
              serves about {formatShare(threshold / 100_000)} of the weight: here{' '}
              {reach.fewest === reach.most ? (
                <strong>{plural(reach.fewest, 'subject')}</strong>
              ) : (
                <>
                  between <strong>{formatCount(reach.fewest)}</strong> and{' '}
                  <strong>{plural(reach.most, 'subject')}</strong>
                </>
              )}{' '}
              of {formatCount(c.subjects)}, depending on the seed (heaviest first, the fewest; lightest first,
              the most). By head count it would be about{' '}
              {plural(Math.round((c.subjects * threshold) / 100_000), 'subject')}.
            </span>
          )}
        </p>
        {s >= 0.05 && (
          <p className="muted small">
            A subject sits at the middle of its stretch of the weight: <code>{c.heaviest.subject}</code> joins
            a weighted rollout only once it passes {formatShare(s / 2)}, surely by {formatShare(1 - s / 2)},
            and then adds {formatShare(s)} at once. Subjects the table doesn't list are rolled out by head
            count.
          </p>
        )}
      </div>
    </section>
  );
});
