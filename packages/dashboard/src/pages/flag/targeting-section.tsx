import type { EnvironmentConfig, Prerequisite } from '@vexil/core';
import { type FormEvent, useState } from 'react';
import { useApi } from '../../auth/auth-context.js';
import { ErrorBox } from '../../components/error-box.js';
import { useResource } from '../../hooks/use-resource.js';
import { variantsOf } from '../../lib/flag.js';
import type { EnvSectionProps } from './flag-context.js';

const splitKeys = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((k) => k.trim())
    .filter((k) => k !== '');

/** Individual targets: keys that always get a variant. */
export function TargetsSection(props: EnvSectionProps & { targets: EnvironmentConfig['targets'] }) {
  const api = useApi();
  const names = Object.keys(variantsOf(props.flag));
  const [variant, setVariant] = useState(names[0] ?? '');
  const [keys, setKeys] = useState('');
  const [error, setError] = useState<unknown>();
  const entries = Object.entries(props.targets ?? {}).filter(([, list]) => list.length > 0);

  async function add(event: FormEvent) {
    event.preventDefault();
    const list = splitKeys(keys);
    if (list.length === 0) return;
    const failure = await props.write(
      (v) => api.env.addTargets(props.target, v, variant, list),
      `Targeted ${list.length} key(s)`,
    );
    setError(failure);
    if (failure === undefined) setKeys('');
  }

  return (
    <section className="section" aria-labelledby="targets-title">
      <h3 id="targets-title">
        Individual targets <span className="muted small">win over rules</span>
      </h3>
      {entries.length === 0 && <p className="muted">No individual targets.</p>}
      {entries.map(([name, list]) => (
        <div key={name} className="target-row">
          <span className="target-variant">
            <code>{name}</code> ←
          </span>
          <ul className="chips" aria-label={`Keys served ${name}`}>
            {list.map((key) => (
              <li key={key} className="chip">
                {key}
                <button
                  type="button"
                  aria-label={`Stop targeting ${key}`}
                  onClick={async () =>
                    setError(
                      await props.write(
                        (v) => api.env.removeTargets(props.target, v, [key]),
                        `${key} no longer targeted`,
                      ),
                    )
                  }
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        </div>
      ))}
      <form className="row" onSubmit={add} aria-label="Add targets">
        <label className="sr-only" htmlFor="target-keys">
          Targeting keys
        </label>
        <input
          id="target-keys"
          value={keys}
          onChange={(e) => setKeys(e.target.value)}
          placeholder="user-1, user-2"
        />
        <label className="sr-only" htmlFor="target-variant">
          Variant for these keys
        </label>
        <select id="target-variant" value={variant} onChange={(e) => setVariant(e.target.value)}>
          {names.map((n) => (
            <option key={n} value={n}>
              serve {n}
            </option>
          ))}
        </select>
        <button type="submit" disabled={props.busy}>
          Add targets
        </button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}

/** Group overrides: a segment always gets a variant, in order. */
export function OverridesSection(
  props: EnvSectionProps & { overrides: EnvironmentConfig['overrides']; segments: readonly string[] },
) {
  const api = useApi();
  const names = Object.keys(variantsOf(props.flag));
  const [segment, setSegment] = useState('');
  const [variant, setVariant] = useState(names[0] ?? '');
  const [error, setError] = useState<unknown>();
  const overrides = props.overrides ?? [];

  return (
    <section className="section" aria-labelledby="overrides-title">
      <h3 id="overrides-title">
        Segment overrides <span className="muted small">checked in order, after individual targets</span>
      </h3>
      {overrides.length === 0 && <p className="muted">No segment overrides.</p>}
      <ul className="plain">
        {overrides.map((o) => (
          <li key={o.segment} className="row">
            segment <code>{o.segment}</code> → <code>{o.variant}</code>
            <button
              type="button"
              className="link danger-text"
              onClick={async () =>
                setError(
                  await props.write(
                    (v) => api.env.removeOverride(props.target, v, o.segment),
                    `Override for ${o.segment} removed`,
                  ),
                )
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="row"
        aria-label="Add a segment override"
        onSubmit={async (e) => {
          e.preventDefault();
          if (segment === '') return;
          setError(
            await props.write(
              (v) => api.env.setOverride(props.target, v, segment, variant),
              `${segment} now gets ${variant}`,
            ),
          );
        }}
      >
        <label className="sr-only" htmlFor="override-segment">
          Segment
        </label>
        <select id="override-segment" value={segment} onChange={(e) => setSegment(e.target.value)}>
          <option value="">choose a segment…</option>
          {props.segments.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
        <label className="sr-only" htmlFor="override-variant">
          Variant
        </label>
        <select id="override-variant" value={variant} onChange={(e) => setVariant(e.target.value)}>
          {names.map((n) => (
            <option key={n} value={n}>
              serve {n}
            </option>
          ))}
        </select>
        <button type="submit" disabled={props.busy || segment === ''}>
          Add override
        </button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}

/** Prerequisites: other flags that must serve given variants first. */
export function PrerequisitesSection(props: EnvSectionProps & { prerequisites: readonly Prerequisite[] }) {
  const api = useApi();
  const [flagKey, setFlagKey] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<unknown>();
  const others = useResource(
    async () => (await api.flags.list(props.project, { limit: 1000, archived: false })).items,
    [api, props.project],
  );
  const candidates = (others.data ?? []).filter((f) => f.key !== props.flag.key);
  const selected = candidates.find((f) => f.key === flagKey);
  const list = props.prerequisites;

  const save = (next: Prerequisite[], message: string) =>
    props.write((v) => api.env.setPrerequisites(props.target, v, next), message).then(setError);

  return (
    <section className="section" aria-labelledby="prereq-title">
      <h3 id="prereq-title">
        Prerequisites <span className="muted small">otherwise the off variant is served</span>
      </h3>
      {list.length === 0 && <p className="muted">No prerequisites.</p>}
      <ul className="plain">
        {list.map((p) => (
          <li key={p.flag} className="row">
            <code>{p.flag}</code> must serve{' '}
            {p.variants.map((v) => (
              <code key={v}>{v}</code>
            ))}
            <button
              type="button"
              className="link danger-text"
              onClick={() =>
                void save(
                  list.filter((x) => x.flag !== p.flag),
                  `Prerequisite ${p.flag} removed`,
                )
              }
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <form
        className="row wrap"
        aria-label="Add a prerequisite"
        onSubmit={async (e) => {
          e.preventDefault();
          if (flagKey === '' || chosen.length === 0) return;
          await save(
            [...list.filter((x) => x.flag !== flagKey), { flag: flagKey, variants: chosen }],
            `Prerequisite ${flagKey} added`,
          );
          setChosen([]);
        }}
      >
        <label className="sr-only" htmlFor="prereq-flag">
          Flag
        </label>
        <select
          id="prereq-flag"
          value={flagKey}
          onChange={(e) => {
            setFlagKey(e.target.value);
            setChosen([]);
          }}
        >
          <option value="">choose a flag…</option>
          {candidates.map((f) => (
            <option key={f.key} value={f.key}>
              {f.key}
            </option>
          ))}
        </select>
        {selected !== undefined && (
          <fieldset className="inline" aria-label="Variants it must serve">
            {Object.keys(variantsOf(selected)).map((v) => (
              <label key={v} className="check">
                <input
                  type="checkbox"
                  checked={chosen.includes(v)}
                  onChange={(e) =>
                    setChosen(e.target.checked ? [...chosen, v] : chosen.filter((c) => c !== v))
                  }
                />{' '}
                {v}
              </label>
            ))}
          </fieldset>
        )}
        <button type="submit" disabled={props.busy || flagKey === '' || chosen.length === 0}>
          Add prerequisite
        </button>
      </form>
      <ErrorBox error={error} />
    </section>
  );
}
