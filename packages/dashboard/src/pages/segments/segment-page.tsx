import type { Segment } from '@vexil/core';
import { type FormEvent, useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'wouter';
import { asApiError } from '../../api/errors.js';
import type { SegmentView } from '../../api/types.js';
import { useApi } from '../../auth/auth-context.js';
import {
  buildCondition,
  type ConditionDraft,
  ConditionsEditor,
  draftCondition,
} from '../../components/conditions-editor.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorBox, FieldIssues } from '../../components/error-box.js';
import { useToast } from '../../components/toasts.js';
import { useResource } from '../../hooks/use-resource.js';

const splitKeys = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((k) => k.trim())
    .filter((k) => k !== '');

function KeyList(props: {
  id: string;
  label: string;
  keys: string[];
  onChange: (keys: string[]) => void;
  error: unknown;
  path: string;
}) {
  const [adding, setAdding] = useState('');
  return (
    <fieldset>
      <legend>{props.label}</legend>
      {props.keys.length === 0 && <p className="muted small">none</p>}
      <ul className="chips">
        {props.keys.map((k) => (
          <li key={k} className="chip">
            {k}
            <button
              type="button"
              aria-label={`Remove ${k} from ${props.label.toLowerCase()}`}
              onClick={() => props.onChange(props.keys.filter((x) => x !== k))}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="row">
        <input
          aria-label={`Add to ${props.label.toLowerCase()}`}
          placeholder="user-1, user-2"
          value={adding}
          onChange={(e) => setAdding(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              props.onChange([...new Set([...props.keys, ...splitKeys(adding)])]);
              setAdding('');
            }
          }}
        />
        <button
          type="button"
          onClick={() => {
            props.onChange([...new Set([...props.keys, ...splitKeys(adding)])]);
            setAdding('');
          }}
        >
          Add
        </button>
      </div>
      <FieldIssues error={props.error} path={props.path} />
    </fieldset>
  );
}

/** One segment: included and excluded keys, conditions, description; saved whole (If-Match). */
export default function SegmentPage() {
  const { project, segment: key } = useParams<{ project: string; segment: string }>();
  const api = useApi();
  const toast = useToast();
  const [, navigate] = useLocation();
  const segment = useResource(() => api.segments.get(project, key), [api, project, key]);
  const others = useResource(
    async () =>
      (await api.segments.list(project, { limit: 1000 })).items.map((s) => s.key).filter((k) => k !== key),
    [api, project, key],
  );
  const [draft, setDraft] = useState<{
    description: string;
    included: string[];
    excluded: string[];
    conditions: ConditionDraft[];
  }>();
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    if (segment.data !== undefined) setDraft(toDraft(segment.data));
  }, [segment.data]);

  if (segment.data === undefined || draft === undefined) {
    return segment.error !== undefined ? (
      <ErrorBox error={segment.error} />
    ) : (
      <p className="muted">Loading…</p>
    );
  }
  const s = segment.data;

  async function save(event: FormEvent) {
    event.preventDefault();
    if (draft === undefined) return;
    const body: Segment = {};
    if (draft.description.trim() !== '') body.description = draft.description.trim();
    if (draft.included.length > 0) body.included = draft.included;
    if (draft.excluded.length > 0) body.excluded = draft.excluded;
    if (draft.conditions.length > 0) body.conditions = draft.conditions.map(buildCondition);
    try {
      segment.set(await api.segments.replace(project, key, s.version, body));
      setError(undefined);
      toast.show(`Segment ${key} saved`, 'success');
    } catch (e) {
      const failure = asApiError(e);
      setError(failure);
      if (failure.code === 'VERSION_CONFLICT') {
        toast.show(
          `Someone else changed ${key} since you loaded it. It has been reloaded: check it and try again.`,
          'error',
        );
        await segment.reload();
      }
    }
  }

  return (
    <article aria-labelledby="segment-title">
      <p className="crumbs">
        <Link href={`/projects/${project}/segments`}>Segments</Link> / {key}
      </p>
      <div className="page-head">
        <h1 id="segment-title">{key}</h1>
        <ConfirmButton
          className="danger"
          question="Delete this segment?"
          confirmLabel="Delete"
          onConfirm={async () => {
            try {
              await api.segments.remove(project, key, s.version);
              navigate(`/projects/${project}/segments`);
            } catch (e) {
              setError(e);
            }
          }}
        >
          Delete
        </ConfirmButton>
      </div>
      <form className="card form" onSubmit={save} aria-label="Segment">
        <p className="help">
          A context is in the segment when its <code>targetingKey</code> is included; otherwise when it is not
          excluded and every condition holds. Without conditions only the included keys are in it.
        </p>
        <div className="field">
          <label htmlFor="segment-description">Description</label>
          <input
            id="segment-description"
            value={draft.description}
            onChange={(e) => setDraft({ ...draft, description: e.target.value })}
          />
        </div>
        <div className="grid-2">
          <KeyList
            id="included"
            label="Included keys"
            keys={draft.included}
            onChange={(included) => setDraft({ ...draft, included })}
            error={error}
            path="included"
          />
          <KeyList
            id="excluded"
            label="Excluded keys"
            keys={draft.excluded}
            onChange={(excluded) => setDraft({ ...draft, excluded })}
            error={error}
            path="excluded"
          />
        </div>
        <ConditionsEditor
          idPrefix="segment"
          drafts={draft.conditions}
          onChange={(conditions) => setDraft({ ...draft, conditions })}
          error={error}
          path="conditions"
          segments={others.data ?? []}
        />
        <ErrorBox error={error} />
        <div className="row">
          <button type="submit" className="primary">
            Save segment
          </button>
          <button type="button" onClick={() => setDraft(toDraft(s))}>
            Discard changes
          </button>
          <span className="muted small">version {s.version}</span>
        </div>
      </form>
    </article>
  );
}

function toDraft(s: SegmentView) {
  return {
    description: s.description ?? '',
    included: [...(s.included ?? [])],
    excluded: [...(s.excluded ?? [])],
    conditions: (s.conditions ?? []).map((c) => draftCondition(c)),
  };
}
