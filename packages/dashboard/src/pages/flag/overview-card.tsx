import { type FormEvent, useState } from 'react';
import { useApi } from '../../auth/auth-context.js';
import { ErrorBox, FieldIssues } from '../../components/error-box.js';
import { Time } from '../../components/time.js';
import type { FlagSectionProps } from './flag-context.js';
import { VariantsTable } from './variants-table.js';

/** Type, variants, description, tags, owner, lifecycle, visibility — and forms to change them. */
export function OverviewCard(props: FlagSectionProps) {
  const { flag } = props;
  const [editing, setEditing] = useState(false);
  return (
    <section className="card" aria-labelledby="overview-title">
      <div className="card-head">
        <h2 id="overview-title">Overview</h2>
        <button type="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
          {editing ? 'Close' : 'Edit details'}
        </button>
      </div>
      {editing ? (
        <DetailsForm {...props} onDone={() => setEditing(false)} />
      ) : (
        <dl className="facts">
          <dt>Type</dt>
          <dd>
            <span className="badge type">{flag.type}</span>
          </dd>
          {flag.name !== undefined && (
            <>
              <dt>Name</dt>
              <dd>{flag.name}</dd>
            </>
          )}
          <dt>Description</dt>
          <dd>{flag.description ?? <span className="muted">none</span>}</dd>
          <dt>Tags</dt>
          <dd>
            {(flag.tags ?? []).length > 0 ? (
              flag.tags!.map((t) => (
                <span key={t} className="tag">
                  {t}
                </span>
              ))
            ) : (
              <span className="muted">none</span>
            )}
          </dd>
          <dt>Owner</dt>
          <dd>{flag.owner ?? <span className="muted">nobody named</span>}</dd>
          <dt>Lifecycle</dt>
          <dd>
            {flag.lifecycle ?? <span className="muted">not set</span>}
            {flag.stale === true && <span className="badge warn">stale</span>}
          </dd>
          <dt>Client-visible</dt>
          <dd>
            {flag.clientVisible === true
              ? 'yes — browser (client) keys can read it'
              : 'no — server keys only'}
          </dd>
          <dt>Version</dt>
          <dd>{flag.version}</dd>
          <dt>Created</dt>
          <dd>
            <Time iso={flag.createdAt} /> <span className="muted small">by {flag.createdBy}</span>
          </dd>
          <dt>Updated</dt>
          <dd>
            <Time iso={flag.updatedAt} /> <span className="muted small">by {flag.updatedBy}</span>
          </dd>
        </dl>
      )}
      <VariantsTable {...props} />
    </section>
  );
}

function DetailsForm(props: FlagSectionProps & { onDone: () => void }) {
  const api = useApi();
  const { flag } = props;
  const [name, setName] = useState(flag.name ?? '');
  const [description, setDescription] = useState(flag.description ?? '');
  const [tags, setTags] = useState((flag.tags ?? []).join(', '));
  const [owner, setOwner] = useState(flag.owner ?? '');
  const [lifecycle, setLifecycle] = useState(flag.lifecycle ?? '');
  const [stale, setStale] = useState(flag.stale === true);
  const [clientVisible, setClientVisible] = useState(flag.clientVisible === true);
  const [error, setError] = useState<unknown>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const orNull = (s: string) => (s.trim() === '' ? null : s.trim());
    const tagList = tags
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const patch = {
      name: orNull(name),
      description: orNull(description),
      tags: tagList.length === 0 ? null : tagList,
      owner: orNull(owner),
      lifecycle: orNull(lifecycle),
      stale: stale ? true : null,
      clientVisible: clientVisible ? true : null,
    };
    const failure = await props.write(
      (v) => api.flags.patch(props.project, flag.key, v, patch),
      'Details saved',
    );
    setError(failure);
    if (failure === undefined) props.onDone();
  }

  return (
    <form className="form" onSubmit={submit} aria-label="Flag details">
      <div className="grid-2">
        <div className="field">
          <label htmlFor="flag-name">Name</label>
          <input id="flag-name" value={name} onChange={(e) => setName(e.target.value)} />
          <FieldIssues error={error} path="name" />
        </div>
        <div className="field">
          <label htmlFor="flag-owner">Owner</label>
          <input
            id="flag-owner"
            value={owner}
            onChange={(e) => setOwner(e.target.value)}
            placeholder="team-payments"
          />
          <FieldIssues error={error} path="owner" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="flag-description">Description</label>
        <textarea
          id="flag-description"
          rows={2}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
        <FieldIssues error={error} path="description" />
      </div>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="flag-tags">Tags (comma-separated)</label>
          <input id="flag-tags" value={tags} onChange={(e) => setTags(e.target.value)} />
          <FieldIssues error={error} path="tags" />
        </div>
        <div className="field">
          <label htmlFor="flag-lifecycle">Lifecycle</label>
          <select id="flag-lifecycle" value={lifecycle} onChange={(e) => setLifecycle(e.target.value)}>
            <option value="">not set</option>
            <option value="temporary">temporary (to be removed)</option>
            <option value="permanent">permanent</option>
          </select>
          <FieldIssues error={error} path="lifecycle" />
        </div>
      </div>
      <label className="check">
        <input type="checkbox" checked={stale} onChange={(e) => setStale(e.target.checked)} /> Stale (marked
        for clean-up)
      </label>
      <label className="check">
        <input type="checkbox" checked={clientVisible} onChange={(e) => setClientVisible(e.target.checked)} />{' '}
        Client-visible
      </label>
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy}>
          Save details
        </button>
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
