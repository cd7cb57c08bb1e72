import type { EvaluationResult, TraceStep } from '@vexil/core';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'wouter';
import { useApi } from '../auth/auth-context.js';
import { ErrorBox } from '../components/error-box.js';
import { useWorkspace } from '../components/workspace.js';
import { useResource } from '../hooks/use-resource.js';
import { fromLocalInput, toLocalInput } from '../lib/datetime.js';
import { formatValue } from '../lib/flag.js';
import { parseJsonText } from '../lib/json-locate.js';
import { type PreviewResult, previewFlags } from '../lib/preview.js';

const CONTEXT_KEY = 'vexil.preview.context';
const EXAMPLE = '{\n  "targetingKey": "user-42",\n  "country": "US",\n  "plan": "enterprise"\n}\n';

/** "Try it": a context, evaluated against the environment's flags in the browser, rule by rule. */
export default function PreviewPage() {
  const { project } = useParams<{ project: string }>();
  const api = useApi();
  const ws = useWorkspace();
  const env = ws.environment;
  const [context, setContext] = useState(() => sessionStorage.getItem(CONTEXT_KEY) ?? EXAMPLE);
  const [at, setAt] = useState('');
  const [filter, setFilter] = useState('');
  const [scope, setScope] = useState<'server' | 'client'>('server');
  const [result, setResult] = useState<PreviewResult>();
  const [open, setOpen] = useState<string>();
  const flagSet = useResource(
    async () => (env === undefined ? undefined : await api.projects.flagSet(project, env, scope)),
    [api, project, env, scope],
  );

  function run() {
    if (flagSet.data === undefined) return;
    sessionStorage.setItem(CONTEXT_KEY, context);
    const parsed = parseJsonText(context);
    if (!parsed.ok) return setResult({ ok: false, message: parsed.message });
    const now = at === '' ? Date.now() : Date.parse(fromLocalInput(at) ?? '');
    setResult(previewFlags(flagSet.data, parsed.value, Number.isNaN(now) ? Date.now() : now));
  }
  // Evaluate again when the flags of another environment arrive.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new flag set re-runs it
  useEffect(() => {
    if (flagSet.data !== undefined && result !== undefined) run();
  }, [flagSet.data]);

  const rows = result?.ok === true ? result.results.filter((r) => r.key.includes(filter.trim())) : [];
  return (
    <section aria-labelledby="preview-title">
      <div className="page-head">
        <h1 id="preview-title">Try it</h1>
        <span className="muted">
          Evaluates {env ?? '…'}’s flags in your browser with <code>@vexil/core</code>, the evaluator the SDKs
          use.
        </span>
      </div>
      <form
        className="card form"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <div className="field">
          <label htmlFor="preview-context">Context (JSON)</label>
          <textarea
            id="preview-context"
            className="code"
            rows={8}
            spellCheck={false}
            value={context}
            onChange={(e) => setContext(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                e.preventDefault();
                run();
              }
            }}
          />
          <p className="help">
            Ctrl+Enter evaluates. Any attributes your rules use; <code>targetingKey</code> is what rollouts
            bucket by.
          </p>
        </div>
        <div className="row wrap">
          <label>
            Evaluate at{' '}
            <input
              type="datetime-local"
              value={at}
              onChange={(e) => setAt(e.target.value)}
              aria-describedby="at-help"
            />
          </label>
          <span id="at-help" className="muted small">
            empty: now ({toLocalInput(Date.now())}) — ramps, schedules and experiments depend on it
          </span>
          <label>
            As{' '}
            <select value={scope} onChange={(e) => setScope(e.target.value as 'server' | 'client')}>
              <option value="server">a server SDK (every flag)</option>
              <option value="client">a browser SDK (client-visible flags)</option>
            </select>
          </label>
          <span className="spacer" />
          <button type="submit" className="primary" disabled={flagSet.data === undefined}>
            Evaluate
          </button>
        </div>
      </form>
      <ErrorBox error={flagSet.error} />
      {result?.ok === false && (
        <div className="error-box" role="alert">
          {result.message}
        </div>
      )}
      {result?.ok === true && (
        <div className="card">
          <div className="card-head">
            <h2>
              Results{' '}
              <span className="muted small">
                flag set version {result.version ?? '?'} · {result.results.length} flags
              </span>
            </h2>
            <label>
              <span className="sr-only">Filter flags</span>
              <input
                type="search"
                placeholder="filter flags"
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
            </label>
          </div>
          <table className="table preview-results" aria-live="polite">
            <thead>
              <tr>
                <th scope="col">Flag</th>
                <th scope="col">Value</th>
                <th scope="col">Variant</th>
                <th scope="col">Reason</th>
                <th scope="col">Rule</th>
                <th scope="col">
                  <span className="sr-only">Explanation</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <ResultRow
                  key={r.key}
                  project={project}
                  result={r}
                  open={open === r.key}
                  onToggle={() => setOpen(open === r.key ? undefined : r.key)}
                />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ResultRow(props: {
  project: string;
  result: EvaluationResult;
  open: boolean;
  onToggle: () => void;
}) {
  const r = props.result;
  return (
    <>
      <tr data-flag={r.key}>
        <td>
          <Link href={`/projects/${props.project}/flags/${r.key}`} className="flag-key">
            {r.key}
          </Link>
        </td>
        <td>
          <code>{formatValue(r.value)}</code>
        </td>
        <td>{r.variant ?? <span className="muted">—</span>}</td>
        <td>
          <span className={`badge reason reason-${r.reason}`}>{r.reason}</span>
          {r.errorCode !== undefined && (
            <div className="small danger-text">
              {r.errorCode}: {r.errorMessage}
            </div>
          )}
        </td>
        <td className="small">
          {r.ruleId ?? ''}
          {r.experiment !== undefined && <div>experiment {r.experiment}</div>}
        </td>
        <td>
          <button
            type="button"
            className="link"
            aria-expanded={props.open}
            onClick={props.onToggle}
            aria-label={`Why ${r.key} gives this`}
          >
            {props.open ? 'Hide' : 'Why?'}
          </button>
        </td>
      </tr>
      {props.open && (
        <tr className="trace-row">
          <td colSpan={6}>
            <Trace steps={r.trace ?? []} />
          </td>
        </tr>
      )}
    </>
  );
}

function Trace({ steps }: { steps: readonly TraceStep[] }) {
  if (steps.length === 0) return <p className="muted">No trace.</p>;
  return (
    <ol className="trace" aria-label="Evaluation steps">
      {steps.map((s, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a trace is rendered whole; its steps never move
        <li key={i} className={s.matched ? 'trace-step matched' : 'trace-step'}>
          <span className="trace-mark" aria-hidden="true">
            {s.matched ? '✔' : '·'}
          </span>
          <span className="sr-only">{s.matched ? 'decided: ' : 'passed over: '}</span>
          <span className="trace-kind">{s.step}</span>
          {s.id !== undefined && <code>{s.id}</code>} <span>{s.detail}</span>
          {s.conditions !== undefined && s.conditions.length > 0 && (
            <table className="table compact conditions-trace">
              <thead>
                <tr>
                  <th scope="col">Attribute</th>
                  <th scope="col">Test</th>
                  <th scope="col">Context has</th>
                  <th scope="col">Holds</th>
                </tr>
              </thead>
              <tbody>
                {s.conditions.map((c, j) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: conditions of a rule keep their order
                  <tr key={j}>
                    <td>
                      <code>{c.attribute ?? '(segment)'}</code>
                    </td>
                    <td>
                      {c.negate ? 'not ' : ''}
                      {c.op} {c.values.map((v) => JSON.stringify(v)).join(', ')}
                    </td>
                    <td>
                      <code>{c.actual === undefined ? 'missing' : JSON.stringify(c.actual)}</code>
                    </td>
                    <td className={c.result ? 'ok-text' : 'danger-text'}>{c.result ? 'yes' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </li>
      ))}
    </ol>
  );
}
