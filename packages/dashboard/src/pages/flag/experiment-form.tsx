import type { Experiment } from '@vexil/core';
import { type FormEvent, useState } from 'react';
import { Link } from 'wouter';
import { rebaseIssues } from '../../api/errors.js';
import { useApi } from '../../auth/auth-context.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { ErrorBox, FieldIssues } from '../../components/error-box.js';
import { WeightTableLink } from '../../components/weight-table-link.js';
import { draftOf, type PercentDraft, WeightsInput, weightsOf } from '../../components/weights-input.js';
import { fromLocalInput, toLocalInput } from '../../lib/datetime.js';
import { variantsOf } from '../../lib/flag.js';
import { evenSplit, formatWeight, percentToWeight } from '../../lib/rollout.js';
import type { EnvSectionProps } from './flag-context.js';

type Kind = NonNullable<NonNullable<Experiment['metrics']>[number]['kind']>;
interface MetricRow {
  key: number;
  event: string;
  kind: Kind;
}
let nextRow = 1;

/** The flag's experiment in this environment: a summary, and a form to set it up or change it. */
export function ExperimentSection(props: EnvSectionProps & { experiment: Experiment | undefined }) {
  const api = useApi();
  const [editing, setEditing] = useState(false);
  const { experiment } = props;
  return (
    <section className="section" aria-labelledby="exp-title">
      <div className="card-head">
        <h3 id="exp-title">
          Experiment <span className="muted small">participants are split before the rules apply</span>
        </h3>
        <button type="button" onClick={() => setEditing((e) => !e)} aria-expanded={editing}>
          {experiment === undefined ? 'Set up an experiment' : 'Change experiment'}
        </button>
      </div>
      {experiment === undefined && !editing && <p className="muted">No experiment.</p>}
      {experiment !== undefined && !editing && (
        <p className="row wrap">
          <code>{experiment.key}</code>
          <span>
            {formatWeight(experiment.allocation ?? 100_000)} of subjects
            {experiment.weightedBy !== undefined && (
              <>
                {' '}
                (by the weights of table <WeightTableLink table={experiment.weightedBy} />)
              </>
            )}
            ,{' '}
            {Object.entries(experiment.variants)
              .map(([v, w]) => `${v} ${formatWeight(w)}`)
              .join(' / ')}
          </span>
          <Link href={`/projects/${props.project}/experiments/${props.environment}/${props.flag.key}`}>
            Results
          </Link>
          <ConfirmButton
            className="link danger-text"
            question="Remove the experiment?"
            confirmLabel="Remove"
            onConfirm={async () =>
              void (await props.write((v) => api.env.removeExperiment(props.target, v), 'Experiment removed'))
            }
          >
            Remove
          </ConfirmButton>
        </p>
      )}
      {editing && <ExperimentForm {...props} onDone={() => setEditing(false)} />}
    </section>
  );
}

function ExperimentForm(props: EnvSectionProps & { experiment: Experiment | undefined; onDone: () => void }) {
  const api = useApi();
  const names = Object.keys(variantsOf(props.flag));
  const current = props.experiment;
  const [key, setKey] = useState(current?.key ?? `${props.flag.key}-test`);
  const [description, setDescription] = useState(current?.description ?? '');
  const [start, setStart] = useState(current?.start === undefined ? '' : toLocalInput(current.start));
  const [end, setEnd] = useState(current?.end === undefined ? '' : toLocalInput(current.end));
  const [allocation, setAllocation] = useState(String((current?.allocation ?? 100_000) / 1000));
  const [draft, setDraft] = useState<PercentDraft>(() =>
    draftOf(
      Object.keys(current?.variants ?? {}).length > 0 ? Object.keys(current!.variants) : names,
      current?.variants ?? evenSplit(names),
    ),
  );
  const [metrics, setMetrics] = useState<MetricRow[]>(() =>
    (current?.metrics ?? [{ event: 'purchase', kind: 'conversion' as const }]).map((m) => ({
      key: nextRow++,
      event: m.event,
      kind: m.kind ?? 'conversion',
    })),
  );
  const [error, setError] = useState<unknown>();
  const id = 'experiment';

  async function submit(event: FormEvent) {
    event.preventDefault();
    const split = weightsOf(draft);
    const share = percentToWeight(allocation);
    if ('problem' in split) return setError(new Error(split.problem));
    if (share === undefined) return setError(new Error('the allocation is a percentage from 0 to 100'));
    const experiment: Experiment = { key: key.trim(), variants: split.weights, allocation: share };
    if (description.trim() !== '') experiment.description = description.trim();
    // Bucketing is not edited here: keep it, so participants stay where they are.
    if (current?.bucketBy !== undefined) experiment.bucketBy = current.bucketBy;
    if (current?.seed !== undefined) experiment.seed = current.seed;
    if (current?.weightedBy !== undefined) experiment.weightedBy = current.weightedBy;
    const startIso = fromLocalInput(start);
    const endIso = fromLocalInput(end);
    if (startIso !== undefined) experiment.start = startIso;
    if (endIso !== undefined) experiment.end = endIso;
    const list = metrics
      .filter((m) => m.event.trim() !== '')
      .map((m) => ({ event: m.event.trim(), kind: m.kind }));
    if (list.length > 0) experiment.metrics = list;
    const failure = await props.write(
      (v) => api.env.setExperiment(props.target, v, experiment),
      'Experiment saved',
    );
    setError(rebaseIssues(failure, `environments.${props.environment}.experiment`, ''));
    if (failure === undefined) props.onDone();
  }

  return (
    <form className="form inset" onSubmit={submit} aria-label="Experiment">
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${id}-key`}>Experiment key</label>
          <input
            id={`${id}-key`}
            value={key}
            onChange={(e) => setKey(e.target.value)}
            required
            spellCheck={false}
          />
          <FieldIssues error={error} path="key" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-allocation`}>Subjects taking part (%)</label>
          <input
            id={`${id}-allocation`}
            inputMode="decimal"
            value={allocation}
            onChange={(e) => setAllocation(e.target.value)}
          />
          <FieldIssues error={error} path="allocation" />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Hypothesis / description</label>
        <input
          id={`${id}-description`}
          value={description}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${id}-start`}>Start (empty: open)</label>
          <input
            id={`${id}-start`}
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
          <FieldIssues error={error} path="start" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>End (empty: open)</label>
          <input
            id={`${id}-end`}
            type="datetime-local"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
          />
          <FieldIssues error={error} path="end" />
        </div>
      </div>
      <WeightsInput
        idPrefix={`${id}-split`}
        draft={draft}
        onChange={setDraft}
        legend="Split among participants"
      />
      <FieldIssues error={error} path="variants" />
      <fieldset>
        <legend>Metrics</legend>
        {metrics.map((m, i) => (
          <div key={m.key} className="row">
            <input
              aria-label={`Metric ${i + 1} event`}
              placeholder="event name (track)"
              value={m.event}
              onChange={(e) =>
                setMetrics(metrics.map((x) => (x.key === m.key ? { ...x, event: e.target.value } : x)))
              }
            />
            <select
              aria-label={`Metric ${i + 1} kind`}
              value={m.kind}
              onChange={(e) =>
                setMetrics(metrics.map((x) => (x.key === m.key ? { ...x, kind: e.target.value as Kind } : x)))
              }
            >
              <option value="conversion">conversion (share of subjects)</option>
              <option value="sum">sum of values per subject</option>
              <option value="mean">mean value</option>
            </select>
            <button
              type="button"
              className="link danger-text"
              onClick={() => setMetrics(metrics.filter((x) => x.key !== m.key))}
            >
              Remove
            </button>
          </div>
        ))}
        <button
          type="button"
          onClick={() => setMetrics([...metrics, { key: nextRow++, event: '', kind: 'conversion' }])}
        >
          Add metric
        </button>
        <FieldIssues error={error} path="metrics" />
      </fieldset>
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy}>
          Save experiment
        </button>
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
