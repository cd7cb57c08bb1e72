import { useState } from 'react';
import { Link, useParams } from 'wouter';
import { asApiError } from '../../api/errors.js';
import type { ExperimentResults } from '../../api/types.js';
import { useApi } from '../../auth/auth-context.js';
import { ExposuresChart, RolloutChart } from '../../charts/lazy.js';
import { ErrorBox } from '../../components/error-box.js';
import { formatDateTime } from '../../components/time.js';
import { useFlagWriter } from '../../hooks/use-flag-writer.js';
import { useResource } from '../../hooks/use-resource.js';
import { effectiveConfig } from '../../lib/flag.js';
import { formatWeight } from '../../lib/rollout.js';
import { ResultsView } from './results-view.js';

/** One experiment: its setup, start/stop, and its results with charts. */
export default function ExperimentPage() {
  const {
    project,
    environment,
    flag: key,
  } = useParams<{ project: string; environment: string; flag: string }>();
  const api = useApi();
  const target = { project, environment, flag: key };
  const flag = useResource(() => api.flags.get(project, key), [api, project, key]);
  const info = useResource(
    () => api.env.experimentInfo(target),
    [api, project, environment, key, flag.data?.version],
  );
  const [control, setControl] = useState<string>();
  const results = useResource<ExperimentResults | { missing: string }>(async () => {
    try {
      return await api.events.experimentResults(target, { control });
    } catch (e) {
      const error = asApiError(e);
      // A server without the events API answers 404 for the route itself.
      if (error.status === 404 && /no route/i.test(error.message)) return { missing: error.message };
      throw error;
    }
  }, [api, project, environment, key, control, flag.data?.version]);
  const exposures = useResource(
    async () =>
      (await api.events.exposures(project, { environment, flag: key }).catch(() => ({ items: [] }))).items,
    [api, project, environment, key],
  );
  const { write, busy } = useFlagWriter(flag.data, flag.set, flag.reload);

  const experiment =
    flag.data === undefined ? undefined : effectiveConfig(flag.data, environment).config.experiment;
  return (
    <article aria-labelledby="experiment-title">
      <p className="crumbs">
        <Link href={`/projects/${project}/experiments`}>Experiments</Link> / {environment} / {key}
      </p>
      <ErrorBox error={flag.error ?? info.error} />
      {experiment !== undefined && (
        <>
          <div className="page-head">
            <div>
              <h1 id="experiment-title">
                {experiment.key}{' '}
                {info.data !== undefined && (
                  <span className={`badge status-${info.data.status}`}>{info.data.status}</span>
                )}
              </h1>
              <p className="lead">
                on flag <Link href={`/projects/${project}/flags/${key}`}>{key}</Link> in {environment}
                {experiment.description !== undefined && ` — ${experiment.description}`}
              </p>
            </div>
            <div className="row">
              <button
                type="button"
                disabled={busy}
                onClick={() => void write((v) => api.env.startExperiment(target, v), 'Experiment started')}
              >
                Start now
              </button>
              <button
                type="button"
                disabled={busy}
                onClick={() => void write((v) => api.env.stopExperiment(target, v), 'Experiment stopped')}
              >
                Stop now
              </button>
            </div>
          </div>
          <div className="grid-2">
            <section className="card" aria-labelledby="setup-title">
              <h2 id="setup-title">Setup</h2>
              <dl className="facts">
                <dt>Window</dt>
                <dd>
                  {experiment.start !== undefined ? formatDateTime(experiment.start) : 'open'} →{' '}
                  {experiment.end !== undefined ? formatDateTime(experiment.end) : 'open'}
                </dd>
                <dt>Allocation</dt>
                <dd>{formatWeight(experiment.allocation ?? 100_000)} of subjects take part</dd>
                <dt>Bucketed by</dt>
                <dd>
                  <code>{experiment.bucketBy ?? 'targetingKey'}</code>
                </dd>
                <dt>Metrics</dt>
                <dd>
                  {(experiment.metrics ?? [])
                    .map((m) => `${m.event} (${m.kind ?? 'conversion'})`)
                    .join(', ') || 'none'}
                </dd>
              </dl>
              <RolloutChart rollout={{ variants: experiment.variants }} title="Split among participants" />
            </section>
            <section className="card" aria-labelledby="exposures-title">
              <h2 id="exposures-title">Exposures</h2>
              {exposures.data !== undefined && <ExposuresChart counts={exposures.data} />}
            </section>
          </div>
          <section className="card" aria-labelledby="results-title">
            <div className="card-head">
              <h2 id="results-title">Results</h2>
              <label>
                Baseline{' '}
                <select
                  value={control ?? ''}
                  onChange={(e) => setControl(e.target.value === '' ? undefined : e.target.value)}
                >
                  <option value="">default</option>
                  {Object.keys(experiment.variants).map((v) => (
                    <option key={v} value={v}>
                      {v}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <ErrorBox error={results.error} />
            {results.data !== undefined && 'missing' in results.data && (
              <p className="notice">
                This server does not compute experiment results yet ({results.data.missing}).
              </p>
            )}
            {results.data !== undefined && !('missing' in results.data) && (
              <ResultsView results={results.data} />
            )}
          </section>
        </>
      )}
      {flag.data !== undefined && experiment === undefined && (
        <p className="notice">
          {key} has no experiment in {environment}.{' '}
          <Link href={`/projects/${project}/flags/${key}`}>Open the flag</Link>
        </p>
      )}
    </article>
  );
}
