import { useState } from 'react';
import { useSearchParams } from 'wouter';
import { useApi } from '../auth/auth-context.js';
import { DiffView } from '../components/diff-view.js';
import { ErrorBox } from '../components/error-box.js';
import { Pager } from '../components/pager.js';
import { formatDateTime } from '../components/time.js';
import { useWorkspace } from '../components/workspace.js';
import { useResource } from '../hooks/use-resource.js';

const PAGE = 50;
const RESOURCE_TYPES = ['', 'project', 'environment', 'flag', 'segment', 'apiKey'];
const FILTERS = ['project', 'environment', 'resourceType', 'resourceKey', 'action'] as const;

/** Who changed what, newest first, with filters and a before/after diff per entry. */
export default function AuditPage() {
  const api = useApi();
  const ws = useWorkspace();
  const [params, setParams] = useSearchParams();
  const offset = Number(params.get('offset') ?? '0') || 0;
  const filter = Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const entries = useResource(
    () =>
      api.audit.list({
        limit: PAGE,
        offset,
        project: filter.project || undefined,
        environment: filter.environment || undefined,
        resourceType: filter.resourceType || undefined,
        resourceKey: filter.resourceKey || undefined,
        action: filter.action || undefined,
      }),
    [api, offset, ...FILTERS.map((f) => filter[f])],
  );
  const [open, setOpen] = useState<number>();
  const set = (name: string, value: string) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value === '') next.delete(name);
        else next.set(name, value);
        if (name !== 'offset') next.delete('offset');
        return next;
      },
      { replace: true },
    );

  return (
    <section aria-labelledby="audit-title">
      <div className="page-head">
        <h1 id="audit-title">Audit log</h1>
      </div>
      <form className="filters" onSubmit={(e) => e.preventDefault()} aria-label="Filters">
        <label>
          <span>Project</span>
          <select value={filter.project} onChange={(e) => set('project', e.target.value)}>
            <option value="">any</option>
            {ws.projects.map((p) => (
              <option key={p.key} value={p.key}>
                {p.key}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Environment</span>
          <input
            value={filter.environment}
            onChange={(e) => set('environment', e.target.value)}
            placeholder="any"
          />
        </label>
        <label>
          <span>Resource</span>
          <select value={filter.resourceType} onChange={(e) => set('resourceType', e.target.value)}>
            {RESOURCE_TYPES.map((t) => (
              <option key={t} value={t}>
                {t === '' ? 'any' : t}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Key</span>
          <input
            value={filter.resourceKey}
            onChange={(e) => set('resourceKey', e.target.value)}
            placeholder="new-checkout"
          />
        </label>
        <label>
          <span>Action</span>
          <input
            value={filter.action}
            onChange={(e) => set('action', e.target.value)}
            placeholder="flag.enable"
          />
        </label>
      </form>
      <ErrorBox error={entries.error} />
      <table className="table audit" aria-busy={entries.loading}>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Resource</th>
            <th scope="col">Environment</th>
            <th scope="col">
              <span className="sr-only">Details</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {entries.data?.items.map((e) => (
            <AuditRow
              key={e.id}
              entry={e}
              open={open === e.id}
              onToggle={() => setOpen(open === e.id ? undefined : e.id)}
            />
          ))}
          {entries.data?.items.length === 0 && (
            <tr>
              <td colSpan={6} className="empty">
                Nothing matches.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {entries.data !== undefined && (
        <Pager
          offset={offset}
          limit={PAGE}
          total={entries.data.total}
          onChange={(o) => set('offset', String(o))}
        />
      )}
    </section>
  );
}

function AuditRow(props: {
  entry: import('../api/types.js').AuditEntry;
  open: boolean;
  onToggle: () => void;
}) {
  const e = props.entry;
  return (
    <>
      <tr>
        <td className="small">{formatDateTime(e.at)}</td>
        <td className="small">{e.actor}</td>
        <td>
          <code>{e.action}</code>
        </td>
        <td>
          {e.resourceType} <code>{e.resourceKey}</code>
          {e.version !== null && <span className="muted small"> v{e.version}</span>}
          {e.project !== null && <div className="muted small">project {e.project}</div>}
        </td>
        <td>{e.environment ?? <span className="muted">—</span>}</td>
        <td>
          <button type="button" className="link" aria-expanded={props.open} onClick={props.onToggle}>
            {props.open ? 'Hide' : 'Changes'}
          </button>
        </td>
      </tr>
      {props.open && (
        <tr>
          <td colSpan={6}>
            {e.comment !== null && <p>{e.comment}</p>}
            <DiffView
              before={e.before ?? undefined}
              after={e.after ?? undefined}
              label={`Changes of entry ${e.id}`}
            />
          </td>
        </tr>
      )}
    </>
  );
}
