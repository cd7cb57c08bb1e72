import { useEffect, useState } from 'react';
import { ApiError, asApiError } from '../../api/errors.js';
import type { FlagView, Issue } from '../../api/types.js';
import { useApi } from '../../auth/auth-context.js';
import { ErrorBox } from '../../components/error-box.js';
import { JsonEditor } from '../../components/json-editor.js';
import { stableStringify } from '../../lib/diff.js';
import { parseJsonText } from '../../lib/json-locate.js';
import type { FlagSectionProps } from './flag-context.js';

const SYSTEM_FIELDS = [
  'key',
  'project',
  'version',
  'archived',
  'createdAt',
  'updatedAt',
  'createdBy',
  'updatedBy',
] as const;

/** The flag's definition as the editor shows it: without the fields the server owns. */
export function editableJson(flag: FlagView): string {
  const copy: Record<string, unknown> = { ...flag };
  for (const field of SYSTEM_FIELDS) delete copy[field];
  return `${JSON.stringify(copy, null, 2)}\n`;
}

/** The whole flag as JSON, replaced with `PUT` and checked by the server; issues shown at their lines. */
export function JsonTab(props: FlagSectionProps) {
  const api = useApi();
  const { flag } = props;
  const [text, setText] = useState(() => editableJson(flag));
  const [loaded, setLoaded] = useState(text);
  const [error, setError] = useState<ApiError | undefined>();

  // A new version of the flag (changed in another section, or reloaded after a conflict)
  // replaces the text unless the person has edits in it.
  useEffect(() => {
    const next = editableJson(flag);
    if (next === loaded) return;
    setText((current) => (current === loaded ? next : current));
    setLoaded(next);
  }, [flag, loaded]);

  const dirty =
    stableStringify(JSON.parse(editableJson(flag))) !==
    (() => {
      const parsed = parseJsonText(text);
      return parsed.ok ? stableStringify(parsed.value) : '';
    })();

  async function save() {
    const parsed = parseJsonText(text);
    if (!parsed.ok) {
      setError(
        new ApiError(400, 'VALIDATION_FAILED', parsed.message, [{ path: '', message: parsed.message }]),
      );
      return;
    }
    let result: FlagView | undefined;
    const failure = await props.write(async (v) => {
      result = await api.flags.replace(props.project, flag.key, v, parsed.value);
      return result;
    }, 'Flag saved');
    setError(failure === undefined ? undefined : asApiError(failure));
    if (result !== undefined) {
      // Show what the server stored (it may have added rule ids).
      const next = editableJson(result);
      setText(next);
      setLoaded(next);
    }
  }

  const issues: Issue[] = error?.issues ? [...error.issues] : [];
  return (
    <section className="card" aria-labelledby="json-title">
      <div className="card-head">
        <h2 id="json-title">Edit as JSON</h2>
        <span className="muted small">version {flag.version} · the server checks everything on save</span>
      </div>
      <JsonEditor
        id="flag-json"
        label="Flag definition (the core flag format)"
        value={text}
        onChange={setText}
        issues={issues}
      />
      {error !== undefined && <ErrorBox error={error} issues={[]} />}
      <div className="row">
        <button type="button" className="primary" onClick={() => void save()} disabled={props.busy || !dirty}>
          Save JSON
        </button>
        <button
          type="button"
          disabled={!dirty}
          onClick={() => {
            setText(editableJson(flag));
            setError(undefined);
          }}
        >
          Discard changes
        </button>
        {!dirty && <span className="muted small">No changes.</span>}
      </div>
    </section>
  );
}
