import { Link, useParams } from 'wouter';
import { useApi } from '../../auth/auth-context.js';
import { ErrorBox } from '../../components/error-box.js';
import { formatDateTime } from '../../components/time.js';
import { useResource } from '../../hooks/use-resource.js';
import { formatWeight } from '../../lib/rollout.js';

/** Every experiment of the project, with its status. */
export default function ExperimentsPage() {
  const { project } = useParams<{ project: string }>();
  const api = useApi();
  const list = useResource(() => api.projects.experiments(project), [api, project]);
  return (
    <section aria-labelledby="experiments-title">
      <div className="page-head">
        <h1 id="experiments-title">Experiments</h1>
      </div>
      <p className="help">
        An experiment lives on a flag in one environment (its <em>Targeting</em> tab, or{' '}
        <code>PUT …/experiment</code>). Results come from the exposures and events SDKs send.
      </p>
      <ErrorBox error={list.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Experiment</th>
            <th scope="col">Flag</th>
            <th scope="col">Environment</th>
            <th scope="col">Status</th>
            <th scope="col">Window</th>
            <th scope="col">Traffic</th>
            <th scope="col">Metrics</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.items.map((e) => (
            <tr key={`${e.environment}/${e.flag}`}>
              <td>
                <Link
                  href={`/projects/${project}/experiments/${e.environment}/${e.flag}`}
                  className="flag-key"
                >
                  {e.experiment.key}
                </Link>
                {e.experiment.description !== undefined && (
                  <div className="muted small">{e.experiment.description}</div>
                )}
              </td>
              <td>
                <Link href={`/projects/${project}/flags/${e.flag}`}>{e.flag}</Link>
              </td>
              <td>{e.environment}</td>
              <td>
                <span className={`badge status-${e.status}`}>{e.status}</span>
              </td>
              <td className="small">
                {e.experiment.start !== undefined ? formatDateTime(e.experiment.start) : 'open'} →{' '}
                {e.experiment.end !== undefined ? formatDateTime(e.experiment.end) : 'open'}
              </td>
              <td className="small">
                {formatWeight(e.experiment.allocation ?? 100_000)} ·{' '}
                {Object.entries(e.experiment.variants)
                  .map(([v, w]) => `${v} ${formatWeight(w)}`)
                  .join(' / ')}
              </td>
              <td className="small">{(e.experiment.metrics ?? []).map((m) => m.event).join(', ') || '—'}</td>
            </tr>
          ))}
          {list.data?.items.length === 0 && (
            <tr>
              <td colSpan={7} className="empty">
                No experiments in this project yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </section>
  );
}
