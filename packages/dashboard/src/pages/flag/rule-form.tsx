import type { Rule, Serve } from '@vexil/core';
import { type FormEvent, useState } from 'react';
import { ApiError } from '../../api/errors.js';
import { RolloutChart } from '../../charts/lazy.js';
import {
  buildCondition,
  type ConditionDraft,
  ConditionsEditor,
  draftCondition,
} from '../../components/conditions-editor.js';
import { ErrorBox, FieldIssues } from '../../components/error-box.js';
import { draftOf, type PercentDraft, WeightsInput, weightsOf } from '../../components/weights-input.js';
import { variantsOf } from '../../lib/flag.js';
import { evenSplit } from '../../lib/rollout.js';
import type { FlagSectionProps } from './flag-context.js';

/** Add or change a rule: description, conditions, and what it serves. */
export function RuleForm(props: {
  flag: FlagSectionProps['flag'];
  idPrefix: string;
  initial?: Rule;
  /** Where the rule is in the API's issue paths (`rule` when adding, `` when replacing). */
  path: string;
  segments: readonly string[];
  busy: boolean;
  onSubmit: (rule: Rule) => Promise<ApiError | undefined>;
  onCancel: () => void;
  submitLabel: string;
}) {
  const names = Object.keys(variantsOf(props.flag));
  const initial = props.initial;
  const [description, setDescription] = useState(initial?.description ?? '');
  const [id, setId] = useState(initial?.id ?? '');
  const [drafts, setDrafts] = useState<ConditionDraft[]>(() =>
    initial === undefined ? [draftCondition()] : initial.conditions.map((c) => draftCondition(c)),
  );
  const [mode, setMode] = useState<'variant' | 'rollout'>(
    initial?.serve.rollout !== undefined ? 'rollout' : 'variant',
  );
  const [variant, setVariant] = useState(initial?.serve.variant ?? names[0] ?? '');
  const [draft, setDraft] = useState<PercentDraft>(() =>
    draftOf(names, initial?.serve.rollout?.variants ?? evenSplit(names)),
  );
  const [error, setError] = useState<unknown>();
  const parsed = weightsOf(draft);
  const at = (field: string) => (props.path === '' ? field : `${props.path}.${field}`);

  async function submit(event: FormEvent) {
    event.preventDefault();
    let serve: Serve;
    if (mode === 'variant') serve = { variant };
    else if ('problem' in parsed) {
      setError(
        new ApiError(400, 'VALIDATION_FAILED', 'the split is not valid', [
          { path: at('serve.rollout'), message: parsed.problem },
        ]),
      );
      return;
    } else serve = { rollout: { ...(initial?.serve.rollout ?? {}), variants: parsed.weights } };
    const rule: Rule = { conditions: drafts.map(buildCondition), serve };
    if (id.trim() !== '') rule.id = id.trim();
    if (description.trim() !== '') rule.description = description.trim();
    const failure = await props.onSubmit(rule);
    setError(failure);
  }

  const p = props.idPrefix;
  return (
    <form className="form inset" onSubmit={submit} aria-label={props.submitLabel}>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${p}-description`}>Description</label>
          <input
            id={`${p}-description`}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
            placeholder="Enterprise customers"
          />
          <FieldIssues error={error} path={at('description')} />
        </div>
        <div className="field">
          <label htmlFor={`${p}-id`}>Rule id (optional)</label>
          <input
            id={`${p}-id`}
            value={id}
            onChange={(e) => setId(e.target.value)}
            placeholder="big-accounts"
            spellCheck={false}
          />
          <FieldIssues error={error} path={at('id')} />
        </div>
      </div>
      <ConditionsEditor
        idPrefix={p}
        drafts={drafts}
        onChange={setDrafts}
        error={error}
        path={at('conditions')}
        segments={props.segments}
      />
      <fieldset className="radios">
        <legend>Then serve</legend>
        <label className="check">
          <input
            type="radio"
            name={`${p}-mode`}
            checked={mode === 'variant'}
            onChange={() => setMode('variant')}
          />{' '}
          One variant
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${p}-mode`}
            checked={mode === 'rollout'}
            onChange={() => setMode('rollout')}
          />{' '}
          A percentage rollout
        </label>
      </fieldset>
      {mode === 'variant' ? (
        <div className="field">
          <label htmlFor={`${p}-variant`}>Variant</label>
          <select id={`${p}-variant`} value={variant} onChange={(e) => setVariant(e.target.value)}>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      ) : (
        <>
          <WeightsInput idPrefix={`${p}-split`} draft={draft} onChange={setDraft} legend="Split" />
          {'weights' in parsed && (
            <RolloutChart rollout={{ variants: parsed.weights }} title="Preview of the split" />
          )}
        </>
      )}
      <FieldIssues error={error} path={at('serve')} />
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy}>
          {props.submitLabel}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
