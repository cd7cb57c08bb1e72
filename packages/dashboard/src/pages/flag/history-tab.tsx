import { useState } from 'react';
import { asApiError } from '../../api/errors.js';
import type { FlagVersion } from '../../api/types.js';
import { useApi } from '../../auth/auth-context.js';
import { ConfirmButton } from '../../components/confirm-button.js';
import { DiffView } from '../../components/diff-view.js';
import { ErrorBox } from '../../components/error-box.js';
import { Pager } from '../../components/pager.js';
import { formatDateTime, Time } from '../../components/time.js';
import { useResource } from '../../hooks/use-resource.js';
import { summarizeChanges } from '../../lib/diff.js';
import type { FlagSectionProps } from './flag-context.js';

const PAGE = 50;

/** A version's definition without the fields that change on every version. */
function definition(v: FlagVersion | undefined): unknown {
  if (v === undefined) return undefined;
  const { version: _v, updatedAt: _u, createdAt: _c, ...rest } = v.flag;
  return rest;
}

/** Every version: who, when, what changed; a diff between any two; rollback in one click. */
export function HistoryTab(props: FlagSectionProps) {
  const api = useApi();
  const { flag } = props;
  const [offset, setOffset] = useState(0);
  // One extra version below the page, to say what the page's oldest version changed.
  const versions = useResource(
    () => api.flags.versions(props.project, flag.key, { limit: PAGE + 1, offset }),
    [api, props.project, flag.key, flag.version, offset],
  );
  const items = versions.data?.items ?? [];
  const shown = items.slice(0, PAGE);
  const [from, setFrom] = useState<number | undefined>();
  const [to, setTo] = useState<number | undefined>();
  const toVersion = to ?? shown[0]?.version;
  const fromVersion = from ?? (toVersion === undefined ? undefined : toVersion - 1);
  const pair = useResource(async () => {
    if (toVersion === undefined) return undefined;
    const load = (n: number | undefined) =>
      n === undefined || n < 1
        ? Promise.resolve(undefined)
        : (items.find((v) => v.version === n) ??
          api.flags.version(props.project, flag.key, n).catch(() => undefined));
    const [a, b] = await Promise.all([load(fromVersion), load(toVersion)]);
    return { a, b };
  }, [api, props.project, flag.key, fromVersion, toVersion, versions.data]);
  const [error, setError] = useState<unknown>();

  return (
    <section className="card" aria-labelledby="history-title">
      <div className="card-head">
        <h2 id="history-title">History</h2>
        <span className="muted small">current version {flag.version}</span>
      </div>
      <ErrorBox error={versions.error ?? error} />
      <table className="table compact history">
        <thead>
          <tr>
            <th scope="col">Version</th>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.map((v, i) => {
            const previous = items[i + 1];
            const changes =
              previous === undefined ? [] : summarizeChanges(definition(previous), definition(v));
            const selected = v.version === toVersion;
            return (
              <tr key={v.version} className={selected ? 'selected' : undefined}>
                <td>
                  <strong>v{v.version}</strong>
                  {v.version === flag.version && <span className="badge">current</span>}
                </td>
                <td title={formatDateTime(v.at)}>
                  <Time iso={v.at} />
                </td>
                <td className="small">{v.actor}</td>
                <td className="small">
                  <code>{v.action}</code>
                  {changes.length > 0 && (
                    <ul className="changes">
                      {changes.slice(0, 4).map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                      {changes.length > 4 && <li className="muted">… {changes.length - 4} more</li>}
                    </ul>
                  )}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      setTo(v.version);
                      setFrom(v.version - 1);
                    }}
                    aria-label={`Show the changes of version ${v.version}`}
                  >
                    Diff
                  </button>
                  {v.version !== flag.version && (
                    <ConfirmButton
                      className="link"
                      label={`Roll back to version ${v.version}`}
                      question={`Make version ${v.version} current again?`}
                      confirmLabel="Roll back"
                      onConfirm={async () => {
                        const failure = await props.write(
                          (current) => api.flags.rollback(props.project, flag.key, current, v.version),
                          `Rolled back to version ${v.version}`,
                        );
                        setError(failure === undefined ? undefined : asApiError(failure));
                      }}
                    >
                      Roll back
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {versions.data !== undefined && (
        <Pager offset={offset} limit={PAGE} total={versions.data.total} onChange={setOffset} />
      )}
      <div className="compare">
        <h3>Compare versions</h3>
        <div className="row">
          <label>
            From{' '}
            <input
              type="number"
              min={1}
              max={flag.version}
              value={fromVersion ?? ''}
              onChange={(e) => setFrom(Number(e.target.value))}
            />
          </label>
          <label>
            To{' '}
            <input
              type="number"
              min={1}
              max={flag.version}
              value={toVersion ?? ''}
              onChange={(e) => setTo(Number(e.target.value))}
            />
          </label>
        </div>
        {pair.data !== undefined && (
          <DiffView
            before={definition(pair.data.a)}
            after={definition(pair.data.b)}
            label={`Changes from version ${fromVersion} to version ${toVersion}`}
          />
        )}
      </div>
    </section>
  );
}
