import { Link, useLocation, useParams } from 'wouter';
import { useApi } from '../../auth/auth-context.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorBox } from '../../components/error-box.js';
import { Switch } from '../../components/switch.js';
import { useWorkspace } from '../../components/workspace.js';
import { useFlagWriter } from '../../hooks/use-flag-writer.js';
import { useResource } from '../../hooks/use-resource.js';
import { describeServe, effectiveConfig, servingDefaults } from '../../lib/flag.js';
import { EnvironmentPanel } from './environment-panel.js';
import { HistoryTab } from './history-tab.js';
import { JsonTab } from './json-tab.js';
import { OverviewCard } from './overview-card.js';

const TABS = [
  { id: 'targeting', label: 'Targeting' },
  { id: 'history', label: 'History' },
  { id: 'json', label: 'Edit as JSON' },
] as const;

/** One flag: overview, per-environment targeting, history and the JSON editor. */
export default function FlagPage() {
  const {
    project,
    flag: key,
    tab = 'targeting',
  } = useParams<{ project: string; flag: string; tab?: string }>();
  const api = useApi();
  const ws = useWorkspace();
  const [, navigate] = useLocation();
  const flag = useResource(() => api.flags.get(project, key), [api, project, key]);
  const segments = useResource(
    async () => (await api.segments.list(project, { limit: 1000 })).items.map((s) => s.key),
    [api, project],
  );
  const { write, busy } = useFlagWriter(flag.data, flag.set, flag.reload);
  const base = `/projects/${project}/flags/${key}`;

  if (flag.data === undefined) {
    return flag.error !== undefined ? (
      <section>
        <p>
          <Link href={`/projects/${project}/flags`}>← Flags</Link>
        </p>
        <ErrorBox error={flag.error} />
      </section>
    ) : (
      <p className="muted" aria-busy="true">
        Loading {key}…
      </p>
    );
  }
  const f = flag.data;
  const props = { flag: f, project, write, busy };
  const env = ws.environment;

  return (
    <article aria-labelledby="flag-title">
      <p className="crumbs">
        <Link href={`/projects/${project}/flags`}>Flags</Link> / {f.key}
      </p>
      <div className="page-head">
        <div>
          <h1 id="flag-title" className="flag-title">
            {f.key} <span className="badge type">{f.type}</span>
            {f.archived && <span className="badge">archived</span>}
            {f.stale === true && <span className="badge warn">stale</span>}
          </h1>
          {(f.name ?? f.description) !== undefined && <p className="lead">{f.name ?? f.description}</p>}
        </div>
        <div className="row">
          {f.archived ? (
            <button
              type="button"
              onClick={() => void write((v) => api.flags.restore(project, f.key, v), `${f.key} restored`)}
            >
              Restore
            </button>
          ) : (
            <ConfirmButton
              question="Archive it? SDKs stop seeing it."
              confirmLabel="Archive"
              onConfirm={async () =>
                void (await write((v) => api.flags.archive(project, f.key, v), `${f.key} archived`))
              }
            >
              Archive
            </ConfirmButton>
          )}
          <ConfirmButton
            className="danger"
            question="Delete it and its history?"
            confirmLabel="Delete"
            onConfirm={async () => {
              try {
                await api.flags.remove(project, f.key, f.version);
                navigate(`/projects/${project}/flags`);
              } catch {
                await flag.reload();
              }
            }}
          >
            Delete
          </ConfirmButton>
        </div>
      </div>

      <section className="env-strip" aria-label="Environments">
        <table className="table compact">
          <tbody>
            {ws.environments.map((e) => {
              const { config } = effectiveConfig(f, e.key);
              const serving = servingDefaults(f, config);
              return (
                <tr key={e.key} className={e.key === env ? 'selected' : undefined}>
                  <th scope="row">
                    <button
                      type="button"
                      className="link"
                      onClick={() => ws.setEnvironment(e.key)}
                      aria-current={e.key === env ? 'true' : undefined}
                    >
                      {e.key}
                    </button>
                  </th>
                  <td>
                    <Switch
                      checked={config.enabled === true}
                      label={`${f.key} in ${e.key}`}
                      disabled={busy || f.archived}
                      onChange={(on) =>
                        void write(
                          (v) => api.env.setEnabled({ project, flag: f.key, environment: e.key }, v, on),
                          `${f.key} is ${on ? 'on' : 'off'} in ${e.key}`,
                        )
                      }
                    />
                  </td>
                  <td className="small muted">
                    {config.enabled === true
                      ? `${config.rules?.length ?? 0} rule(s) · default ${describeServe(serving.defaultServe, Date.now())}`
                      : `serving ${serving.offVariant ?? 'the caller’s default'}`}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <nav className="tabs" aria-label="Flag sections">
        {TABS.map((t) => (
          <Link
            key={t.id}
            href={t.id === 'targeting' ? base : `${base}/${t.id}`}
            aria-current={tab === t.id ? 'page' : undefined}
            className={tab === t.id ? 'tab current' : 'tab'}
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <div>
        {tab === 'targeting' && (
          <div className="flag-grid">
            {env !== undefined && (
              <EnvironmentPanel {...props} environment={env} segments={segments.data ?? []} />
            )}
            <OverviewCard {...props} />
          </div>
        )}
        {tab === 'history' && <HistoryTab {...props} />}
        {tab === 'json' && <JsonTab {...props} />}
      </div>
    </article>
  );
}
