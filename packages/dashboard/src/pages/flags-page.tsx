import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'wouter';
import { asApiError } from '../api/errors.js';
import type { FlagView } from '../api/types.js';
import { useApi } from '../auth/auth-context.js';
import { ErrorBox } from '../components/error-box.js';
import { Pager } from '../components/pager.js';
import { Switch } from '../components/switch.js';
import { Time } from '../components/time.js';
import { useToast } from '../components/toasts.js';
import { useWorkspace } from '../components/workspace.js';
import { useResource } from '../hooks/use-resource.js';
import { describeServe, effectiveConfig, isEnabled, servingDefaults } from '../lib/flag.js';
import { CreateFlagForm } from './create-flag-form.js';

const PAGE = 25;

/** Flags of a project: search, tag filter, archived, pages, and an on/off switch per flag. */
export function FlagsPage() {
  const { project } = useParams<{ project: string }>();
  const api = useApi();
  const ws = useWorkspace();
  const toast = useToast();
  const [params, setParams] = useSearchParams();
  const text = params.get('q') ?? '';
  const tag = params.get('tag') ?? '';
  const archived = params.get('archived') ?? 'live';
  const offset = Number(params.get('offset') ?? '0') || 0;
  const [search, setSearch] = useState(text);
  const [creating, setCreating] = useState(false);
  const [busyKey, setBusyKey] = useState<string>();

  const update = (changes: Record<string, string | undefined>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [k, v] of Object.entries(changes)) {
          if (v === undefined || v === '') next.delete(k);
          else next.set(k, v);
        }
        if (!('offset' in changes)) next.delete('offset');
        return next;
      },
      { replace: true },
    );

  // Search as you type, a moment after the last key.
  // biome-ignore lint/correctness/useExhaustiveDependencies: update is recreated every render
  useEffect(() => {
    if (search === text) return;
    const timer = setTimeout(() => update({ q: search }), 250);
    return () => clearTimeout(timer);
  }, [search, text]);

  const flags = useResource(
    () =>
      api.flags.list(project, {
        limit: PAGE,
        offset,
        text: text || undefined,
        tag: tag || undefined,
        archived: archived === 'all' ? undefined : archived === 'archived',
      }),
    [api, project, text, tag, archived, offset],
  );
  const env = ws.environment;
  const tags = [...new Set((flags.data?.items ?? []).flatMap((f) => f.tags ?? []))].sort();

  async function toggle(flag: FlagView, on: boolean) {
    if (env === undefined) return;
    setBusyKey(flag.key);
    try {
      const next = await api.env.setEnabled({ project, flag: flag.key, environment: env }, flag.version, on);
      flags.set({ ...flags.data!, items: flags.data!.items.map((f) => (f.key === next.key ? next : f)) });
      toast.show(`${flag.key} is ${on ? 'on' : 'off'} in ${env}`, 'success');
    } catch (e) {
      const error = asApiError(e);
      if (error.code === 'VERSION_CONFLICT') {
        toast.show(
          `Someone else changed ${flag.key} since you loaded this list. The list has been reloaded: check it and try again.`,
          'error',
        );
        await flags.reload();
      } else toast.show(`${flag.key}: ${error.message}`, 'error');
    } finally {
      setBusyKey(undefined);
    }
  }

  return (
    <section aria-labelledby="flags-title">
      <div className="page-head">
        <h1 id="flags-title">Flags</h1>
        <button
          type="button"
          className="primary"
          onClick={() => setCreating((c) => !c)}
          aria-expanded={creating}
        >
          New flag
        </button>
      </div>
      {creating && <CreateFlagForm project={project} onCancel={() => setCreating(false)} />}
      <form className="filters" aria-label="Filter flags" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Search</span>
          <input
            type="search"
            value={search}
            placeholder="key, name or description"
            onChange={(e) => setSearch(e.target.value)}
          />
        </label>
        <label>
          <span>Tag</span>
          <input
            list="flag-tags"
            value={tag}
            placeholder="any tag"
            onChange={(e) => update({ tag: e.target.value })}
          />
          <datalist id="flag-tags">
            {tags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </label>
        <label>
          <span>Show</span>
          <select
            value={archived}
            onChange={(e) => update({ archived: e.target.value === 'live' ? undefined : e.target.value })}
          >
            <option value="live">Live flags</option>
            <option value="archived">Archived flags</option>
            <option value="all">All flags</option>
          </select>
        </label>
      </form>
      <ErrorBox error={flags.error} />
      <div className="table-wrap">
        <table className="table" aria-busy={flags.loading}>
          <thead>
            <tr>
              <th scope="col">Flag</th>
              <th scope="col">Type</th>
              <th scope="col">Tags</th>
              <th scope="col">Serving in {env ?? '…'}</th>
              <th scope="col">Updated</th>
              <th scope="col">{env ?? 'Environment'}</th>
            </tr>
          </thead>
          <tbody>
            {flags.data?.items.map((flag) => {
              const config = env === undefined ? undefined : effectiveConfig(flag, env).config;
              const serving = config === undefined ? undefined : servingDefaults(flag, config);
              return (
                <tr key={flag.key} className={flag.archived ? 'archived' : undefined}>
                  <td>
                    <Link href={`/projects/${project}/flags/${flag.key}`} className="flag-key">
                      {flag.key}
                    </Link>
                    {flag.archived && <span className="badge">archived</span>}
                    {flag.stale === true && <span className="badge warn">stale</span>}
                    {(flag.name ?? flag.description) !== undefined && (
                      <div className="muted small">{flag.name ?? flag.description}</div>
                    )}
                  </td>
                  <td>
                    <span className="badge type">{flag.type}</span>
                  </td>
                  <td>
                    {(flag.tags ?? []).map((t) => (
                      <button
                        key={t}
                        type="button"
                        className="tag"
                        onClick={() => update({ tag: t })}
                        title={`Only flags tagged ${t}`}
                      >
                        {t}
                      </button>
                    ))}
                  </td>
                  <td className="small">
                    {config === undefined
                      ? ''
                      : config.enabled === true
                        ? `${(config.rules?.length ?? 0) > 0 ? `${config.rules!.length} rule(s), then ` : ''}${describeServe(serving?.defaultServe, Date.now())}`
                        : `off → ${serving?.offVariant ?? 'caller’s default'}`}
                  </td>
                  <td className="small">
                    <Time iso={flag.updatedAt} />
                  </td>
                  <td>
                    {env !== undefined && (
                      <Switch
                        checked={isEnabled(flag, env)}
                        label={`${flag.key} in ${env}`}
                        disabled={busyKey === flag.key || flag.archived}
                        onChange={(on) => void toggle(flag, on)}
                      />
                    )}
                  </td>
                </tr>
              );
            })}
            {flags.data?.items.length === 0 && (
              <tr>
                <td colSpan={6} className="empty">
                  {text !== '' || tag !== ''
                    ? 'No flag matches.'
                    : 'No flags yet. Create one with “New flag”.'}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {flags.data !== undefined && (
        <Pager
          offset={flags.data.offset}
          limit={flags.data.limit}
          total={flags.data.total}
          onChange={(o) => update({ offset: String(o) })}
        />
      )}
    </section>
  );
}
