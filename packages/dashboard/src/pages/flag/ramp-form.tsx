import type { Rollout } from '@vexil/core';
import { type FormEvent, useState } from 'react';
import { useApi } from '../../auth/auth-context.js';
import { TimelineChart } from '../../charts/lazy.js';
import { ErrorBox } from '../../components/error-box.js';
import { draftOf, type PercentDraft, WeightsInput, weightsOf } from '../../components/weights-input.js';
import { fromLocalInput, toLocalInput } from '../../lib/datetime.js';
import { variantsOf } from '../../lib/flag.js';
import { variantOrder } from '../../lib/rollout.js';
import type { EnvSectionProps } from './flag-context.js';

type Props = EnvSectionProps & { rollout: Rollout; rule?: string; onDone: () => void };

function namesOf(props: Props): string[] {
  return [...new Set([...variantOrder(props.rollout), ...Object.keys(variantsOf(props.flag))])].sort();
}

/** A linear ramp from the rollout's split to a target split between two times. */
export function RampForm(props: Props) {
  const api = useApi();
  const names = namesOf(props);
  const ramp = props.rollout.ramp;
  const [start, setStart] = useState(toLocalInput(ramp?.start ?? Date.now()));
  const [end, setEnd] = useState(toLocalInput(ramp?.end ?? Date.now() + 7 * 86_400_000));
  const [draft, setDraft] = useState<PercentDraft>(() => draftOf(names, ramp?.to ?? props.rollout.variants));
  const [error, setError] = useState<unknown>();
  const parsed = weightsOf(draft);
  const startIso = fromLocalInput(start);
  const endIso = fromLocalInput(end);
  const id = `${props.rule ?? 'default'}-ramp`;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if ('problem' in parsed) return setError(new Error(parsed.problem));
    if (startIso === undefined || endIso === undefined) return setError(new Error('give a start and an end'));
    const failure = await props.write(
      (v) =>
        api.env.setRamp(props.target, v, { start: startIso, end: endIso, to: parsed.weights }, props.rule),
      'Ramp saved',
    );
    setError(failure);
    if (failure === undefined) props.onDone();
  }

  return (
    <form className="form inset" onSubmit={submit} aria-label="Ramp">
      <p className="help">
        Moves linearly from the current split to the target between start and end. Subjects already in a
        growing variant stay in it.
      </p>
      <div className="grid-2">
        <div className="field">
          <label htmlFor={`${id}-start`}>Start</label>
          <input
            id={`${id}-start`}
            type="datetime-local"
            value={start}
            onChange={(e) => setStart(e.target.value)}
            required
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-end`}>End</label>
          <input
            id={`${id}-end`}
            type="datetime-local"
            value={end}
            onChange={(e) => setEnd(e.target.value)}
            required
          />
        </div>
      </div>
      <WeightsInput idPrefix={id} draft={draft} onChange={setDraft} legend="Target split at the end" />
      {'weights' in parsed &&
        startIso !== undefined &&
        endIso !== undefined &&
        Date.parse(endIso) > Date.parse(startIso) && (
          <TimelineChart
            rollout={{
              ...props.rollout,
              schedule: undefined,
              ramp: { start: startIso, end: endIso, to: parsed.weights },
            }}
            now={Date.now()}
          />
        )}
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy}>
          Save ramp
        </button>
        {ramp !== undefined && (
          <button
            type="button"
            onClick={async () => {
              const failure = await props.write(
                (v) => api.env.setRamp(props.target, v, undefined, props.rule),
                'Ramp removed',
              );
              setError(failure);
              if (failure === undefined) props.onDone();
            }}
          >
            Remove ramp
          </button>
        )}
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

interface Step {
  key: number;
  at: string;
  draft: PercentDraft;
}

/** Steps in time: from each step's time on, its split. */
export function ScheduleForm(props: Props) {
  const api = useApi();
  const names = namesOf(props);
  const [steps, setSteps] = useState<Step[]>(() =>
    (
      props.rollout.schedule ?? [
        { at: new Date(Date.now() + 86_400_000).toISOString(), variants: props.rollout.variants },
      ]
    ).map((s, i) => ({
      key: i,
      at: toLocalInput(s.at),
      draft: draftOf(names, s.variants),
    })),
  );
  const [error, setError] = useState<unknown>();
  const id = `${props.rule ?? 'default'}-schedule`;

  const built = steps.map((s) => ({ at: fromLocalInput(s.at), result: weightsOf(s.draft) }));
  const valid = built.every((s) => s.at !== undefined && 'weights' in s.result);
  const schedule = valid
    ? built.map((s) => ({ at: s.at!, variants: (s.result as { weights: Record<string, number> }).weights }))
    : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (schedule === undefined) {
      const bad = built.findIndex((s) => s.at === undefined || 'problem' in s.result);
      const result = built[bad]?.result;
      return setError(
        new Error(
          `step ${bad + 1}: ${result !== undefined && 'problem' in result ? result.problem : 'give its time'}`,
        ),
      );
    }
    const failure = await props.write(
      (v) => api.env.setSchedule(props.target, v, schedule, props.rule),
      'Schedule saved',
    );
    setError(failure);
    if (failure === undefined) props.onDone();
  }

  return (
    <form className="form inset" onSubmit={submit} aria-label="Schedule">
      <p className="help">
        Before the first step the rollout’s own split applies; from each step’s time on, that step’s split.
      </p>
      {steps.map((step, i) => (
        <div key={step.key} className="schedule-step">
          <div className="field">
            <label htmlFor={`${id}-${i}-at`}>Step {i + 1} from</label>
            <input
              id={`${id}-${i}-at`}
              type="datetime-local"
              value={step.at}
              onChange={(e) => setSteps(steps.map((s, j) => (j === i ? { ...s, at: e.target.value } : s)))}
            />
          </div>
          <WeightsInput
            idPrefix={`${id}-${i}`}
            draft={step.draft}
            onChange={(d) => setSteps(steps.map((s, j) => (j === i ? { ...s, draft: d } : s)))}
            legend={`Split from step ${i + 1}`}
          />
          {steps.length > 1 && (
            <button
              type="button"
              className="link danger-text"
              onClick={() => setSteps(steps.filter((_, j) => j !== i))}
            >
              Remove step {i + 1}
            </button>
          )}
        </div>
      ))}
      <button
        type="button"
        onClick={() => {
          const last = steps[steps.length - 1]!;
          const at = fromLocalInput(last.at);
          setSteps([
            ...steps,
            {
              key: Math.max(...steps.map((s) => s.key)) + 1,
              at: toLocalInput((at === undefined ? Date.now() : Date.parse(at)) + 86_400_000),
              draft: { ...last.draft },
            },
          ]);
        }}
      >
        Add step
      </button>
      {schedule !== undefined && (
        <TimelineChart rollout={{ ...props.rollout, ramp: undefined, schedule }} now={Date.now()} />
      )}
      <ErrorBox error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={props.busy}>
          Save schedule
        </button>
        {props.rollout.schedule !== undefined && (
          <button
            type="button"
            onClick={async () => {
              const failure = await props.write(
                (v) => api.env.setSchedule(props.target, v, undefined, props.rule),
                'Schedule removed',
              );
              setError(failure);
              if (failure === undefined) props.onDone();
            }}
          >
            Remove schedule
          </button>
        )}
        <button type="button" onClick={props.onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
