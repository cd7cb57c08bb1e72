import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { ApiError, asApiError, rebaseIssues } from '../../api/errors.js';
import { useApi } from '../../auth/auth-context.js';
import { ErrorBox, FieldIssues } from '../../components/error-box.js';
import { KeyDescriptionFields } from '../../components/key-description-fields.js';
import { Pager } from '../../components/pager.js';
import { SearchFilter } from '../../components/search-filter.js';
import { Time } from '../../components/time.js';
import { useResource } from '../../hooks/use-resource.js';
import { formatCount, parsePastedWeights, weightValue } from '../../lib/subject-weights.js';

const PAGE = 50;

/** Why a new table was refused, at the form's fields (`key`, `weights`, `weights.acme`). */
function creationError(error: unknown, key: string): ApiError {
  const e = asApiError(error);
  // Created with If-None-Match: *: a table of that name (any version) answers 412.
  if (e.code === 'VERSION_CONFLICT') {
    return new ApiError(409, 'ALREADY_EXISTS', `a weight table named "${key}" already exists`, [
      { path: 'key', message: 'a table of this name exists: open it from the list to change it' },
    ]);
  }
  // The name is the route's `{table}`: the server reports a bad one at `params.table`.
  return rebaseIssues(e, 'params.table', 'key');
}

/** The project's subject weight tables (for rollouts and experiments with `weightedBy`), and a form for a new one. */
export default function WeightTablesPage() {
  const { project } = useParams<{ project: string }>();
  const api = useApi();
  const [, navigate] = useLocation();
  const [offset, setOffset] = useState(0);
  const [text, setText] = useState('');
  const tables = useResource(
    () => api.subjectWeights.list(project, { limit: PAGE, offset, text: text || undefined }),
    [api, project, offset, text],
  );
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const [subjects, setSubjects] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function create(event: FormEvent) {
    event.preventDefault();
    const name = key.trim();
    // A Map, then fromEntries: a subject called "__proto__" stays a subject.
    const weights = new Map<string, number | string>();
    if (subjects.trim() !== '') {
      const pasted = parsePastedWeights(subjects);
      if (!pasted.ok) {
        setError(
          new ApiError(400, 'VALIDATION_FAILED', 'the subjects could not be read', [
            { path: 'weights', message: pasted.message },
          ]),
        );
        return;
      }
      for (const [subject, weight] of pasted.weights) weights.set(subject, weightValue(weight));
    }
    setBusy(true);
    try {
      const table = await api.subjectWeights.create(project, name, {
        ...(description.trim() === '' ? {} : { description: description.trim() }),
        weights: Object.fromEntries(weights),
      });
      navigate(`/projects/${project}/subject-weights/${encodeURIComponent(table.key)}`);
    } catch (e) {
      setError(creationError(e, name));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="weights-title">
      <div className="page-head">
        <h1 id="weights-title">Subject weights</h1>
      </div>
      <p className="help">
        A weight table gives subjects (the values a rollout buckets by: account ids, tenants) a weight each —
        seats, traffic, contract size. A rollout or experiment that names the table in <code>weightedBy</code>{' '}
        splits by weight instead of head count: a 10&nbsp;% rollout covers about 10 % of the weight, however
        few subjects that is. Subjects a table doesn't list keep their ordinary bucket.
      </p>
      <form className="card form" onSubmit={create} aria-label="New weight table">
        <div className="row wrap">
          <KeyDescriptionFields
            id="table"
            keyLabel="New table key"
            keyValue={key}
            onKey={setKey}
            keyPlaceholder="accounts"
            description={description}
            onDescription={setDescription}
            descriptionPlaceholder="Seats per account"
            error={error}
          />
        </div>
        <div className="field">
          <label htmlFor="table-subjects">Subjects (optional: one subject,weight per line, or JSON)</label>
          <textarea
            id="table-subjects"
            rows={4}
            className="code"
            value={subjects}
            onChange={(e) => setSubjects(e.target.value)}
            placeholder={'acme,5000\nglobex,40\ninitech,1200'}
          />
          <FieldIssues error={error} path="weights" />
        </div>
        <ErrorBox error={error} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            Create table
          </button>
        </div>
      </form>
      <SearchFilter
        value={text}
        onSearch={(next) => {
          setText(next);
          setOffset(0);
        }}
      />
      <ErrorBox error={tables.error} />
      <table className="table" aria-label="Weight tables">
        <thead>
          <tr>
            <th scope="col">Table</th>
            <th scope="col" className="num">
              Subjects
            </th>
            <th scope="col" className="num">
              Total weight
            </th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {tables.data?.items.map((t) => (
            <tr key={t.key}>
              <td>
                <Link
                  href={`/projects/${project}/subject-weights/${encodeURIComponent(t.key)}`}
                  className="flag-key"
                >
                  {t.key}
                </Link>
                {t.description !== undefined && <div className="muted small">{t.description}</div>}
              </td>
              <td className="num">{formatCount(t.subjects)}</td>
              <td className="num">{formatCount(t.totalWeight)}</td>
              <td className="small">
                <Time iso={t.updatedAt} /> <span className="muted">by {t.updatedBy}</span>
              </td>
            </tr>
          ))}
          {tables.data?.items.length === 0 && (
            <tr>
              <td colSpan={4} className="empty">
                {text === '' ? 'No weight tables yet.' : 'No table matches.'}
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {tables.data !== undefined && (
        <Pager offset={offset} limit={PAGE} total={tables.data.total} onChange={setOffset} />
      )}
    </section>
  );
}
