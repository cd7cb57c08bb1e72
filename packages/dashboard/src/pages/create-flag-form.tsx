import type { Flag, JsonValue } from '@vexil/core';
import { type FormEvent, useState } from 'react';
import { useLocation } from 'wouter';
import { ApiError } from '../api/errors.js';
import { useApi } from '../auth/auth-context.js';
import { ErrorBox, FieldIssues } from '../components/error-box.js';
import { useToast } from '../components/toasts.js';
import { parseVariantValue } from '../lib/flag.js';

type Row = { key: number; name: string; value: string };
let nextRow = 1;
const row = (name: string, value: string): Row => ({ key: nextRow++, name, value });
const DEFAULT_ROWS: Record<Flag['type'], Row[]> = {
  boolean: [],
  string: [row('control', 'control'), row('treatment', 'treatment')],
  number: [row('low', '10'), row('high', '50')],
  json: [row('default', '{}')],
};

/** Key, type, description, tags and (for non-boolean flags) variants. */
export function CreateFlagForm({ project, onCancel }: { project: string; onCancel: () => void }) {
  const api = useApi();
  const toast = useToast();
  const [, navigate] = useLocation();
  const [key, setKey] = useState('');
  const [type, setType] = useState<Flag['type']>('boolean');
  const [description, setDescription] = useState('');
  const [tags, setTags] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [clientVisible, setClientVisible] = useState(false);
  const [error, setError] = useState<unknown>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      const body: Flag & { key: string } = { key: key.trim(), type };
      if (description.trim() !== '') body.description = description.trim();
      const tagList = tags
        .split(',')
        .map((t) => t.trim())
        .filter((t) => t !== '');
      if (tagList.length > 0) body.tags = tagList;
      if (clientVisible) body.clientVisible = true;
      if (type !== 'boolean') {
        const variants: Record<string, JsonValue> = {};
        rows.forEach((r, i) => {
          try {
            variants[r.name.trim()] = parseVariantValue(type, r.value);
          } catch (e) {
            throw new ApiError(400, 'VALIDATION_FAILED', 'a variant value is not valid', [
              { path: `variants.${r.name.trim() || i}`, message: (e as Error).message },
            ]);
          }
        });
        body.variants = variants;
        const first = Object.keys(variants)[0];
        if (first !== undefined) {
          body.offVariant = first;
          body.defaultServe = { variant: first };
        }
      }
      const flag = await api.flags.create(project, body);
      toast.show(`Created ${flag.key}`, 'success');
      navigate(`/projects/${project}/flags/${flag.key}`);
    } catch (e) {
      setError(e);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-label="New flag">
      <h2>New flag</h2>
      <div className="grid-2">
        <div className="field">
          <label htmlFor="new-flag-key">Key</label>
          <input
            id="new-flag-key"
            value={key}
            onChange={(e) => setKey(e.target.value)}
            placeholder="new-checkout"
            required
            aria-describedby="new-flag-key-issues"
            spellCheck={false}
          />
          <FieldIssues error={error} path="key" id="new-flag-key-issues" />
        </div>
        <div className="field">
          <label htmlFor="new-flag-type">Type</label>
          <select
            id="new-flag-type"
            value={type}
            onChange={(e) => {
              const t = e.target.value as Flag['type'];
              setType(t);
              setRows(DEFAULT_ROWS[t]);
            }}
          >
            <option value="boolean">boolean (on / off)</option>
            <option value="string">string</option>
            <option value="number">number</option>
            <option value="json">json</option>
          </select>
          <FieldIssues error={error} path="type" />
        </div>
      </div>
      <div className="field">
        <label htmlFor="new-flag-description">Description</label>
        <input
          id="new-flag-description"
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="new-flag-tags">Tags (comma-separated)</label>
        <input
          id="new-flag-tags"
          value={tags}
          onChange={(e) => setTags(e.target.value)}
          placeholder="checkout, team-payments"
        />
        <FieldIssues error={error} path="tags" />
      </div>
      {type !== 'boolean' && (
        <fieldset>
          <legend>Variants</legend>
          {rows.map((r, i) => (
            <div className="row" key={r.key}>
              <input
                aria-label={`Variant ${i + 1} name`}
                value={r.name}
                onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))}
              />
              <input
                aria-label={`Variant ${i + 1} value`}
                value={r.value}
                onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, value: e.target.value } : x)))}
              />
              <button type="button" className="link" onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
          ))}
          <button type="button" onClick={() => setRows([...rows, row('', '')])}>
            Add variant
          </button>
          <FieldIssues error={error} path="variants" />
        </fieldset>
      )}
      <label className="check">
        <input type="checkbox" checked={clientVisible} onChange={(e) => setClientVisible(e.target.checked)} />
        Client-visible (browser keys may read it)
      </label>
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="primary">
          Create flag
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
