import type { ExperimentResults } from '../../api/types.js';
import { ExperimentChart } from '../../charts/lazy.js';
import { formatMetric, formatP } from '../../lib/experiment.js';
import { formatWeight } from '../../lib/rollout.js';

/** The sample-ratio check, per-variant traffic and a chart and table per metric. */
export function ResultsView({ results }: { results: ExperimentResults }) {
  const names = results.variants.map((v) => v.variant);
  const total = results.variants.reduce((a, v) => a + v.subjects, 0);
  const srm = results.sampleRatio;
  return (
    <div className="results">
      {srm?.mismatch === true && (
        <div className="error-box" role="alert" data-testid="srm-warning">
          <strong>Sample ratio mismatch.</strong> The subjects per variant don’t match the weights (
          {formatP(srm.pValue)}, χ² = {srm.chiSquare.toFixed(1)}). Something sends variants unevenly (caching,
          redirects, bots, a bug in assignment): don’t trust these results until it is fixed.
          {srm.unexpected.length > 0 && ` Variants with traffic but no weight: ${srm.unexpected.join(', ')}.`}
        </div>
      )}
      {srm !== null && srm.mismatch === false && (
        <p className="muted small">Sample ratio check passed ({formatP(srm.pValue)}).</p>
      )}
      <table className="table compact">
        <caption className="sr-only">Subjects per variant</caption>
        <thead>
          <tr>
            <th scope="col">Variant</th>
            <th scope="col">Weight</th>
            <th scope="col">Subjects</th>
            <th scope="col">Expected</th>
          </tr>
        </thead>
        <tbody>
          {results.variants.map((v) => (
            <tr key={v.variant}>
              <td>
                {v.variant}
                {v.variant === results.control && <span className="badge">baseline</span>}
              </td>
              <td>{formatWeight(v.weight)}</td>
              <td>{v.subjects}</td>
              <td className="muted">
                {srm?.expected[v.variant] !== undefined ? srm.expected[v.variant]!.toFixed(0) : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">
        {total} subjects
        {results.mixedSubjects > 0 && `; ${results.mixedSubjects} saw several variants and are left out`}.
      </p>
      {results.metrics.length === 0 && <p className="muted">The experiment names no metrics.</p>}
      {results.metrics.map((m) => (
        <section key={m.event} className="metric" aria-label={`Metric ${m.event}`}>
          <h3>
            {m.event}{' '}
            <span className="muted small">
              {m.kind}
              {m.higherIsBetter ? '' : ', lower is better'}
            </span>
          </h3>
          <ExperimentChart metric={m} control={results.control} variants={names} />
          <table className="table compact">
            <thead>
              <tr>
                <th scope="col">Variant</th>
                <th scope="col">Subjects</th>
                <th scope="col">{m.kind === 'conversion' ? 'Converted' : 'Total'}</th>
                <th scope="col">{m.kind === 'conversion' ? 'Rate' : 'Value'}</th>
                <th scope="col">95% interval</th>
                <th scope="col">vs baseline</th>
              </tr>
            </thead>
            <tbody>
              {m.variants.map((v) => (
                <tr key={v.variant}>
                  <td>{v.variant}</td>
                  <td>{v.subjects}</td>
                  <td>{m.kind === 'conversion' ? v.conversions : v.total}</td>
                  <td>
                    <strong>{formatMetric(m.kind, v.value)}</strong>
                  </td>
                  <td className="small">
                    {v.interval === null
                      ? '—'
                      : `${formatMetric(m.kind, v.interval[0])} – ${formatMetric(m.kind, v.interval[1])}`}
                  </td>
                  <td className="small">
                    {v.vsControl === null ? (
                      <span className="muted">
                        {v.variant === results.control ? 'baseline' : 'not enough data'}
                      </span>
                    ) : (
                      <span
                        className={
                          v.vsControl.better === true
                            ? 'ok-text'
                            : v.vsControl.better === false
                              ? 'danger-text'
                              : undefined
                        }
                      >
                        {v.vsControl.relative !== null
                          ? `${v.vsControl.relative >= 0 ? '+' : ''}${(v.vsControl.relative * 100).toFixed(1)}%`
                          : `${v.vsControl.difference >= 0 ? '+' : ''}${formatMetric(m.kind, v.vsControl.difference)}`}{' '}
                        ({formatP(v.vsControl.pValue)}
                        {v.vsControl.significant
                          ? v.vsControl.better
                            ? ', better'
                            : ', worse'
                          : ', not significant'}
                        )
                      </span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
