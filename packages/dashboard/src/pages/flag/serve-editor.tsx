import type { Rollout, Serve } from '@vexil/core';
import { type FormEvent, useState } from 'react';
import { rebaseIssues } from '../../api/errors.js';
import { useApi } from '../../auth/auth-context.js';
import { RolloutChart, TimelineChart } from '../../charts/lazy.js';
import { ErrorBox, FieldIssues } from '../../components/error-box.js';
import { WeightTableLink } from '../../components/weight-table-link.js';
import { draftOf, type PercentDraft, WeightsInput, weightsOf } from '../../components/weights-input.js';
import { describeServe, variantsOf } from '../../lib/flag.js';
import { evenSplit } from '../../lib/rollout.js';
import type { EnvSectionProps } from './flag-context.js';
import { RampForm, ScheduleForm } from './ramp-form.js';

/** What a serve shows: the variant, or the rollout's chart (and its ramp or schedule over time). */
export function ServeView({ serve, title }: { serve: Serve | undefined; title?: string }) {
  const now = Date.now();
  if (serve?.rollout === undefined) return <p className="serve-text">{describeServe(serve)}</p>;
  const rollout = serve.rollout;
  return (
    <div className="serve-view">
      <RolloutChart
        rollout={rollout}
        now={now}
        title={title ?? (rollout.ramp || rollout.schedule ? 'Split now' : 'Rollout split')}
      />
      {(rollout.ramp !== undefined || rollout.schedule !== undefined) && (
        <TimelineChart rollout={rollout} now={now} />
      )}
      <p className="muted small">
        Bucketed by <code>{rollout.bucketBy ?? 'targetingKey'}</code>
        {rollout.seed !== undefined && (
          <>
            {' '}
            with seed <code>{rollout.seed}</code>
          </>
        )}
        {rollout.weightedBy !== undefined && (
          <>
            {' '}
            · balanced by the weights of table <WeightTableLink table={rollout.weightedBy} />
          </>
        )}
        {rollout.random === true && ' · random on every evaluation (not sticky)'}
      </p>
    </div>
  );
}

/**
 * The default serve (or a rule's, with `rule`): a readable view, and a form to serve one
 * variant or a percentage rollout; a rollout can then ramp or follow a schedule.
 */
export function ServeEditor(
  props: EnvSectionProps & { serve: Serve | undefined; rule?: string; label: string },
) {
  const [editing, setEditing] = useState<'serve' | 'ramp' | 'schedule' | undefined>();
  const rollout = props.serve?.rollout;
  return (
    <div className="serve-editor">
      <ServeView serve={props.serve} />
      <div className="row">
        <button
          type="button"
          onClick={() => setEditing(editing === 'serve' ? undefined : 'serve')}
          aria-expanded={editing === 'serve'}
        >
          Change {props.label}
        </button>
        {rollout !== undefined && (
          <>
            <button
              type="button"
              onClick={() => setEditing(editing === 'ramp' ? undefined : 'ramp')}
              aria-expanded={editing === 'ramp'}
            >
              {rollout.ramp === undefined ? 'Ramp it' : 'Change ramp'}
            </button>
            <button
              type="button"
              onClick={() => setEditing(editing === 'schedule' ? undefined : 'schedule')}
              aria-expanded={editing === 'schedule'}
            >
              {rollout.schedule === undefined ? 'Schedule steps' : 'Change schedule'}
            </button>
          </>
        )}
      </div>
      {editing === 'serve' && <ServeForm {...props} onDone={() => setEditing(undefined)} />}
      {editing === 'ramp' && rollout !== undefined && (
        <RampForm {...props} rollout={rollout} onDone={() => setEditing(undefined)} />
      )}
      {editing === 'schedule' && rollout !== undefined && (
        <ScheduleForm {...props} rollout={rollout} onDone={() => setEditing(undefined)} />
      )}
    </div>
  );
}

function ServeForm(props: EnvSectionProps & { serve: Serve | undefined; rule?: string; onDone: () => void }) {
  const api = useApi();
  const names = Object.keys(variantsOf(props.flag));
  const current = props.serve;
  const [mode, setMode] = useState<'variant' | 'rollout'>(
    current?.rollout !== undefined ? 'rollout' : 'variant',
  );
  const [variant, setVariant] = useState(current?.variant ?? names[0] ?? '');
  const [draft, setDraft] = useState<PercentDraft>(() =>
    draftOf(names, current?.rollout?.variants ?? evenSplit(names)),
  );
  const [bucketBy, setBucketBy] = useState(current?.rollout?.bucketBy ?? '');
  const [error, setError] = useState<unknown>();
  const id = `${props.rule ?? 'default'}-serve`;
  const parsed = weightsOf(draft);

  async function submit(event: FormEvent) {
    event.preventDefault();
    let serve: Serve;
    if (mode === 'variant') serve = { variant };
    else {
      if ('problem' in parsed) return setError(new Error(parsed.problem));
      // Keep a ramp or schedule only when it is edited separately: a new split starts afresh.
      const rollout: Rollout = { variants: parsed.weights };
      if (bucketBy.trim() !== '') rollout.bucketBy = bucketBy.trim();
      if (current?.rollout?.seed !== undefined) rollout.seed = current.rollout.seed;
      // A weighted rollout stays weighted (the table is chosen through the API).
      if (current?.rollout?.weightedBy !== undefined) rollout.weightedBy = current.rollout.weightedBy;
      serve = { rollout };
    }
    const failure = await props.write(
      (v) => api.env.setServe(props.target, v, serve, props.rule),
      mode === 'variant' ? `Now serving ${variant}` : 'Rollout saved',
    );
    setError(
      props.rule === undefined
        ? rebaseIssues(failure, `environments.${props.environment}.defaultServe`, '')
        : failure,
    );
    if (failure === undefined) props.onDone();
  }

  return (
    <form className="form inset" onSubmit={submit} aria-label="What to serve">
      <fieldset className="radios">
        <legend>Serve</legend>
        <label className="check">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === 'variant'}
            onChange={() => setMode('variant')}
          />{' '}
          One variant
        </label>
        <label className="check">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={mode === 'rollout'}
            onChange={() => setMode('rollout')}
          />{' '}
          A percentage rollout
        </label>
      </fieldset>
      {mode === 'variant' ? (
        <div className="field">
          <label htmlFor={`${id}-variant`}>Variant</label>
          <select id={`${id}-variant`} value={variant} onChange={(e) => setVariant(e.target.value)}>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
          <FieldIssues error={error} path="variant" />
        </div>
      ) : (
        <>
          <WeightsInput
            idPrefix={id}
            draft={draft}
            onChange={setDraft}
            legend="Split (percent of subjects per variant)"
          />
          {'weights' in parsed && (
            <RolloutChart rollout={{ variants: parsed.weights }} title="Preview of the new split" />
          )}
          <div className="field">
            <label htmlFor={`${id}-bucket`}>Bucket by (context attribute)</label>
            <input
              id={`${id}-bucket`}
              value={bucketBy}
              placeholder="targetingKey"
              onChange={(e) => setBucketBy(e.target.value)}
            />
          </div>
          <FieldIssues error={error} path="rollout" />
        </>
      )}
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy}>
          Save
        </button>
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
