import { type FormEvent, useState } from 'react';
import type { ApiKeyKind, CreatedKey } from '../api/types.js';
import { useApi, useAuth } from '../auth/auth-context.js';
import { ConfirmButton } from '../components/confirm-button.js';
import { ErrorBox, FieldIssues } from '../components/error-box.js';
import { Pager } from '../components/pager.js';
import { Time } from '../components/time.js';
import { useToast } from '../components/toasts.js';
import { useWorkspace } from '../components/workspace.js';
import { useResource } from '../hooks/use-resource.js';
import { fromLocalInput } from '../lib/datetime.js';

const PAGE = 50;

/** The secret of a new key: shown this once, with a copy button. */
function SecretOnce({ created, onClose }: { created: CreatedKey; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="card secret" role="alert" aria-labelledby="secret-title">
      <h2 id="secret-title">Copy the secret of “{created.key.name}” now</h2>
      <p>
        It is shown this once; only its hash is kept.
        {created.previous !== undefined && ' The old key keeps working for the grace period.'}
      </p>
      <div className="row">
        <code className="secret-value" data-testid="new-secret">
          {created.secret}
        </code>
        <button
          type="button"
          onClick={async () => {
            await navigator.clipboard?.writeText(created.secret).then(
              () => setCopied(true),
              () => setCopied(false),
            );
          }}
        >
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <button type="button" onClick={onClose}>
        I have stored it
      </button>
    </div>
  );
}

/** API keys: list, create (secret shown once), revoke, rotate with a grace period. */
export default function KeysPage() {
  const api = useApi();
  const { self } = useAuth();
  const ws = useWorkspace();
  const toast = useToast();
  const [offset, setOffset] = useState(0);
  const [inactive, setInactive] = useState(false);
  const keys = useResource(
    () => api.keys.list({ limit: PAGE, offset, includeInactive: inactive }),
    [api, offset, inactive],
  );
  const [created, setCreated] = useState<CreatedKey>();
  const [kind, setKind] = useState<ApiKeyKind>('server');
  const [name, setName] = useState('');
  const [project, setProject] = useState(ws.project ?? '');
  const [environment, setEnvironment] = useState(ws.environment ?? '');
  const [expires, setExpires] = useState('');
  const [grace, setGrace] = useState('3600');
  const [error, setError] = useState<unknown>();

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const expiresAt = fromLocalInput(expires);
      const result = await api.keys.create({
        kind,
        ...(name.trim() !== '' ? { name: name.trim() } : {}),
        ...(kind !== 'admin'
          ? { project: project || ws.project || '', environment: environment || ws.environment || '' }
          : {}),
        ...(expiresAt !== undefined ? { expiresAt } : {}),
      });
      setCreated(result);
      setError(undefined);
      setName('');
      await keys.reload();
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="keys-title">
      <div className="page-head">
        <h1 id="keys-title">API keys</h1>
      </div>
      {created !== undefined && <SecretOnce created={created} onClose={() => setCreated(undefined)} />}
      <form className="card form" onSubmit={create} aria-label="New key">
        <h2>New key</h2>
        <div className="row wrap">
          <label>
            Kind{' '}
            <select value={kind} onChange={(e) => setKind(e.target.value as ApiKeyKind)}>
              <option value="server">server — one environment, full flag definitions</option>
              <option value="client">client — one environment, client-visible flags only</option>
              <option value="admin">admin — the whole admin API</option>
            </select>
          </label>
          <label>
            Name{' '}
            <input value={name} onChange={(e) => setName(e.target.value)} placeholder="checkout-service" />
          </label>
          {kind !== 'admin' && (
            <>
              <label>
                Project{' '}
                <select value={project} onChange={(e) => setProject(e.target.value)}>
                  {ws.projects.map((p) => (
                    <option key={p.key} value={p.key}>
                      {p.key}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Environment{' '}
                <input
                  value={environment}
                  placeholder={ws.environment}
                  onChange={(e) => setEnvironment(e.target.value)}
                  list="key-environments"
                />
                <datalist id="key-environments">
                  {ws.environments.map((e) => (
                    <option key={e.key} value={e.key} />
                  ))}
                </datalist>
              </label>
            </>
          )}
          <label>
            Expires{' '}
            <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
          </label>
          <button type="submit" className="primary">
            Create key
          </button>
        </div>
        <FieldIssues error={error} path="environment" />
        <ErrorBox error={error} />
      </form>
      <div className="filters">
        <label className="check">
          <input type="checkbox" checked={inactive} onChange={(e) => setInactive(e.target.checked)} /> Show
          revoked and expired keys
        </label>
        <label>
          <span>Rotation grace period (seconds)</span>
          <input type="number" min={0} value={grace} onChange={(e) => setGrace(e.target.value)} />
        </label>
      </div>
      <ErrorBox error={keys.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col">Scope</th>
            <th scope="col">Key</th>
            <th scope="col">Status</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {keys.data?.items.map((k) => (
            <tr key={k.id} className={k.status !== 'active' ? 'archived' : undefined}>
              <td>
                {k.name}
                {k.id === self.id && <span className="badge">this session</span>}
              </td>
              <td>
                <span className="badge type">{k.kind}</span>
              </td>
              <td className="small">
                {k.project === null ? 'everything' : `${k.project} / ${k.environment}`}
              </td>
              <td>
                <code>{k.hint}</code>
              </td>
              <td>{k.status}</td>
              <td className="small">
                <Time iso={k.createdAt} />
                <div className="muted">{k.createdBy}</div>
              </td>
              <td className="small">
                <Time iso={k.lastUsedAt} />
              </td>
              <td className="small">
                <Time iso={k.expiresAt} />
              </td>
              <td className="actions">
                {k.status === 'active' && (
                  <>
                    <ConfirmButton
                      className="link"
                      question={`Rotate? The old key works ${Number(grace) > 0 ? `for ${grace} s more` : 'no more'}.`}
                      confirmLabel="Rotate"
                      onConfirm={async () => {
                        try {
                          setCreated(
                            await api.keys.rotate(k.id, Math.max(0, Math.floor(Number(grace) || 0))),
                          );
                          await keys.reload();
                        } catch (e) {
                          toast.show((e as Error).message, 'error');
                        }
                      }}
                    >
                      Rotate
                    </ConfirmButton>
                    <ConfirmButton
                      className="link danger-text"
                      question={k.id === self.id ? 'Revoke the key you are signed in with?' : 'Revoke now?'}
                      confirmLabel="Revoke"
                      onConfirm={async () => {
                        try {
                          await api.keys.revoke(k.id);
                          toast.show(`${k.name} revoked`, 'success');
                          await keys.reload();
                        } catch (e) {
                          toast.show((e as Error).message, 'error');
                        }
                      }}
                    >
                      Revoke
                    </ConfirmButton>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {keys.data !== undefined && (
        <Pager offset={offset} limit={PAGE} total={keys.data.total} onChange={setOffset} />
      )}
    </section>
  );
}
