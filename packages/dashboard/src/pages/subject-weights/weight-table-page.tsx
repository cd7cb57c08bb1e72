import { type FormEvent, useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { type ApiError, asApiError } from '../../api/errors.js';
import { useApi } from '../../auth/auth-context.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorBox, FieldIssues } from '../../components/error-box.js';
import { Time } from '../../components/time.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';
import {
  describeChanges,
  effectiveChanges,
  flagsInUse,
  formatCount,
  heaviestFirst,
  patchOf,
  totalAfter,
  type WeightChanges,
} from '../../lib/subject-weights.js';
import { SubjectsEditor } from './subjects-editor.js';
import { WeightDistribution } from './weight-distribution.js';

/**
 * One weight table: its size, how its weight is spread (chart), and its subjects to edit.
 * Edits are kept as changes and saved as one merge patch with `If-Match`; when someone else
 * saved meanwhile (412) the table is reloaded and the changes stay on top of it.
 */
export default function WeightTablePage() {
  const { project, table } = useParams<{ project: string; table: string }>();
  // Another table starts with no pending changes.
  return <TablePage key={`${project}/${table}`} project={project} tableKey={table} />;
}

function TablePage({ project, tableKey: key }: { project: string; tableKey: string }) {
  const api = useApi();
  const toast = useToast();
  const [, navigate] = useLocation();
  const table = useResource(() => api.subjectWeights.get(project, key), [api, project, key]);
  const [changes, setChanges] = useState<WeightChanges>(new Map());
  const [description, setDescription] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [deleteError, setDeleteError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const saved = table.data;
  const sorted = useMemo(() => (saved === undefined ? [] : heaviestFirst(saved.weights)), [saved]);

  if (saved === undefined) {
    return table.error !== undefined ? <ErrorBox error={table.error} /> : <p className="muted">Loading…</p>;
  }
  const t = saved;
  const pending = effectiveChanges(t.weights, changes);
  const patch = patchOf(t, changes, description);
  const list = `/projects/${project}/subject-weights`;

  async function conflict(version: number) {
    toast.show(
      `Someone else changed ${key} since you loaded it (you had version ${version}). It has been reloaded` +
        ' with your changes still on it: check them and save again.',
      'error',
    );
    await table.reload();
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (patch === undefined) return;
    setBusy(true);
    try {
      const next = await api.subjectWeights.patch(project, key, t.version, patch);
      table.set(next);
      setChanges(new Map());
      setDescription(undefined);
      setError(undefined);
      toast.show(`Table ${key} saved (${describeChanges(t.weights, pending)})`, 'success');
    } catch (e) {
      const failure = asApiError(e);
      setError(failure);
      if (failure.code === 'VERSION_CONFLICT') await conflict(t.version);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    try {
      await api.subjectWeights.remove(project, key, t.version);
      toast.show(`Table ${key} deleted`, 'success');
      navigate(list);
    } catch (e) {
      const failure = asApiError(e);
      setDeleteError(failure);
      if (failure.code === 'VERSION_CONFLICT') await conflict(t.version);
    }
  }

  return (
    <article aria-labelledby="table-title">
      <p className="crumbs">
        <Link href={list}>Subject weights</Link> / {key}
      </p>
      <div className="page-head">
        <h1 id="table-title">{key}</h1>
        <ConfirmButton
          className="danger"
          question="Delete this weight table?"
          confirmLabel="Delete"
          onConfirm={remove}
        >
          Delete
        </ConfirmButton>
      </div>
      <DeleteError error={deleteError} project={project} />
      <section className="card" aria-label="About this table">
        <dl className="facts">
          <dt>Description</dt>
          <dd>{t.description ?? <span className="muted">none</span>}</dd>
          <dt>Subjects</dt>
          <dd data-testid="table-subjects">{formatCount(t.subjects)}</dd>
          <dt>Total weight</dt>
          <dd data-testid="table-total">{formatCount(t.totalWeight)}</dd>
          <dt>Version</dt>
          <dd>{t.version}</dd>
          <dt>Changed</dt>
          <dd>
            <Time iso={t.updatedAt} /> by {t.updatedBy}
          </dd>
        </dl>
      </section>
      <WeightDistribution sorted={sorted} total={t.totalWeight} />
      <form className="card form" onSubmit={save} aria-label="Subjects">
        <h2>Subjects</h2>
        <div className="field">
          <label htmlFor="table-description">Description</label>
          <input
            id="table-description"
            value={description ?? t.description ?? ''}
            onChange={(e) => setDescription(e.target.value)}
          />
          <FieldIssues error={error} path="description" />
        </div>
        <SubjectsEditor
          sorted={sorted}
          savedWeights={t.weights}
          changes={changes}
          onChange={setChanges}
          total={totalAfter(t.weights, t.totalWeight, pending)}
          error={error}
        />
        <ErrorBox error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={patch === undefined || busy}>
            Save changes
          </button>
          <button
            type="button"
            disabled={changes.size === 0 && description === undefined}
            onClick={() => {
              setChanges(new Map());
              setDescription(undefined);
              setError(undefined);
            }}
          >
            Discard changes
          </button>
          <span className="muted small" aria-live="polite" data-testid="pending">
            {describeChanges(t.weights, pending)} · version {t.version}
          </span>
        </div>
      </form>
    </article>
  );
}

/** Why the table was not deleted; for a table in use, links to the flags that use it. */
function DeleteError({ error, project }: { error: ApiError | undefined; project: string }) {
  if (error === undefined) return null;
  if (error.code !== 'IN_USE') return <ErrorBox error={error} title="Not deleted:" />;
  const flags = flagsInUse(error);
  return (
    <div className="error-box" role="alert" data-testid="in-use">
      <strong>Not deleted: the table is in use.</strong> {error.message}.
      {flags.length > 0 && (
        <>
          <p>
            Stop weighting these flags' rollouts and experiments by it (in every environment), or delete the
            flags, then try again:
          </p>
          <ul>
            {flags.map((flag) => (
              <li key={flag}>
                <Link href={`/projects/${project}/flags/${encodeURIComponent(flag)}`}>{flag}</Link>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
