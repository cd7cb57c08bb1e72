import { type FormEvent, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { useApi } from '../../auth/auth-context.js';
import { ErrorBox } from '../../components/error-box.js';
import { KeyDescriptionFields } from '../../components/key-description-fields.js';
import { Pager } from '../../components/pager.js';
import { SearchFilter } from '../../components/search-filter.js';
import { Time } from '../../components/time.js';
import { useResource } from '../../hooks/use-resource.js';

const PAGE = 50;

/** Segments of a project: reusable groups of subjects. */
export default function SegmentsPage() {
  const { project } = useParams<{ project: string }>();
  const api = useApi();
  const [, navigate] = useLocation();
  const [offset, setOffset] = useState(0);
  const [text, setText] = useState('');
  const segments = useResource(
    () => api.segments.list(project, { limit: PAGE, offset, text: text || undefined }),
    [api, project, offset, text],
  );
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const [error, setError] = useState<unknown>();

  async function create(event: FormEvent) {
    event.preventDefault();
    try {
      const segment = await api.segments.create(project, {
        key: key.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
      });
      navigate(`/projects/${project}/segments/${segment.key}`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <section aria-labelledby="segments-title">
      <div className="page-head">
        <h1 id="segments-title">Segments</h1>
      </div>
      <form className="card form row wrap" onSubmit={create} aria-label="New segment">
        <KeyDescriptionFields
          id="segment"
          keyLabel="New segment key"
          keyValue={key}
          onKey={setKey}
          keyPlaceholder="beta-testers"
          description={description}
          onDescription={setDescription}
          error={error}
        />
        <button type="submit" className="primary">
          Create segment
        </button>
        <ErrorBox error={error} />
      </form>
      <SearchFilter
        value={text}
        onSearch={(next) => {
          setText(next);
          setOffset(0);
        }}
      />
      <ErrorBox error={segments.error} />
      <table className="table">
        <thead>
          <tr>
            <th scope="col">Segment</th>
            <th scope="col">Included</th>
            <th scope="col">Excluded</th>
            <th scope="col">Conditions</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {segments.data?.items.map((s) => (
            <tr key={s.key}>
              <td>
                <Link href={`/projects/${project}/segments/${s.key}`} className="flag-key">
                  {s.key}
                </Link>
                {s.description !== undefined && <div className="muted small">{s.description}</div>}
              </td>
              <td>{s.included?.length ?? 0}</td>
              <td>{s.excluded?.length ?? 0}</td>
              <td>{s.conditions?.length ?? 0}</td>
              <td className="small">
                <Time iso={s.updatedAt} />
              </td>
            </tr>
          ))}
          {segments.data?.items.length === 0 && (
            <tr>
              <td colSpan={5} className="empty">
                No segments yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      {segments.data !== undefined && (
        <Pager offset={offset} limit={PAGE} total={segments.data.total} onChange={setOffset} />
      )}
    </section>
  );
}
