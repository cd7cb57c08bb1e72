import type { Condition } from '@vexil/core';
import { type ConditionDraft, draftCondition } from '../lib/conditions.js';
import { FieldIssues } from './error-box.js';

export { buildCondition, type ConditionDraft, draftCondition } from '../lib/conditions.js';

/** Every operator, grouped as a person looks for them. */
export const OPERATOR_CHOICES: readonly { op: Condition['op']; label: string }[] = [
  { op: 'eq', label: 'is (equals)' },
  { op: 'neq', label: 'is not' },
  { op: 'in', label: 'is one of' },
  { op: 'notIn', label: 'is not one of' },
  { op: 'contains', label: 'contains' },
  { op: 'startsWith', label: 'starts with' },
  { op: 'endsWith', label: 'ends with' },
  { op: 'matches', label: 'matches regex' },
  { op: 'lt', label: '< (number)' },
  { op: 'lte', label: '≤ (number)' },
  { op: 'gt', label: '> (number)' },
  { op: 'gte', label: '≥ (number)' },
  { op: 'semverEq', label: 'version =' },
  { op: 'semverLt', label: 'version <' },
  { op: 'semverGt', label: 'version >' },
  { op: 'before', label: 'date before' },
  { op: 'after', label: 'date after' },
  { op: 'exists', label: 'exists' },
  { op: 'segment', label: 'in segment' },
];

/** Rows of attribute / operator / values / negate, with each row's issues under it. */
export function ConditionsEditor(props: {
  idPrefix: string;
  drafts: ConditionDraft[];
  onChange: (drafts: ConditionDraft[]) => void;
  error?: unknown;
  /** Where the conditions are in the API's paths (`rule.conditions`, `conditions`). */
  path: string;
  segments?: readonly string[];
}) {
  const { drafts, onChange } = props;
  const change = (i: number, patch: Partial<ConditionDraft>) =>
    onChange(drafts.map((d, j) => (j === i ? { ...d, ...patch } : d)));
  return (
    <fieldset className="conditions">
      <legend>Conditions (all must hold)</legend>
      {drafts.length === 0 && <p className="muted small">No conditions: this matches every context.</p>}
      {drafts.map((d, i) => {
        const id = `${props.idPrefix}-c${i}`;
        return (
          <fieldset key={d.key} className="condition-row" aria-label={`Condition ${i + 1}`}>
            {d.op !== 'segment' ? (
              <input
                id={`${id}-attr`}
                aria-label={`Condition ${i + 1} attribute`}
                placeholder="attribute (country, user.plan)"
                value={d.attribute}
                onChange={(e) => change(i, { attribute: e.target.value })}
              />
            ) : (
              <span className="muted">the context</span>
            )}
            <select
              aria-label={`Condition ${i + 1} operator`}
              value={d.op}
              onChange={(e) => change(i, { op: e.target.value as Condition['op'] })}
            >
              {OPERATOR_CHOICES.map((o) => (
                <option key={o.op} value={o.op}>
                  {o.label}
                </option>
              ))}
            </select>
            {d.op !== 'exists' && (
              <input
                aria-label={`Condition ${i + 1} values`}
                placeholder={d.op === 'segment' ? 'segment keys' : 'values, comma-separated'}
                list={d.op === 'segment' ? `${props.idPrefix}-segments` : undefined}
                value={d.values}
                onChange={(e) => change(i, { values: e.target.value })}
              />
            )}
            <label className="check small">
              <input
                type="checkbox"
                checked={d.negate}
                onChange={(e) => change(i, { negate: e.target.checked })}
              />{' '}
              negate
            </label>
            <button
              type="button"
              className="link danger-text"
              onClick={() => onChange(drafts.filter((_, j) => j !== i))}
            >
              Remove
            </button>
            <FieldIssues error={props.error} path={`${props.path}[${i}]`} />
          </fieldset>
        );
      })}
      {props.segments !== undefined && (
        <datalist id={`${props.idPrefix}-segments`}>
          {props.segments.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
      <button type="button" onClick={() => onChange([...drafts, draftCondition()])}>
        Add condition
      </button>
      <p className="help">
        Values are comma-separated. For comparisons <code>42</code> and <code>true</code> are a number and a
        boolean; write <code>"42"</code> to compare with a string.
      </p>
    </fieldset>
  );
}
