import { useApi } from '../../auth/auth-context.js';
import { Switch } from '../../components/switch.js';
import { effectiveConfig, servingDefaults, variantsOf } from '../../lib/flag.js';
import { ExperimentSection } from './experiment-form.js';
import type { FlagSectionProps } from './flag-context.js';
import { RulesSection } from './rules-section.js';
import { ServeEditor } from './serve-editor.js';
import { OverridesSection, PrerequisitesSection, TargetsSection } from './targeting-section.js';

function Inherited({ show }: { show: boolean }) {
  return show ? (
    <span
      className="badge muted-badge"
      title="Set on the flag for every environment; a change here applies to this environment only"
    >
      inherited
    </span>
  ) : null;
}

/** Everything a flag does in one environment, in the order it is evaluated. */
export function EnvironmentPanel(
  props: FlagSectionProps & { environment: string; segments: readonly string[] },
) {
  const api = useApi();
  const { flag, environment } = props;
  const target = { project: props.project, flag: flag.key, environment };
  const { config, own } = effectiveConfig(flag, environment);
  const { offVariant, defaultServe } = servingDefaults(flag, config);
  const envProps = { ...props, target };
  const inherited = (field: Parameters<typeof own.has>[0]) => config[field] !== undefined && !own.has(field);
  const names = Object.keys(variantsOf(flag));

  return (
    <section className="card env-panel" aria-labelledby="env-title">
      <div className="card-head">
        <h2 id="env-title">
          In <span className="env-name">{environment}</span>
        </h2>
        <Switch
          checked={config.enabled === true}
          label={`${flag.key} enabled in ${environment}`}
          disabled={props.busy || flag.archived}
          onChange={(on) =>
            void props.write(
              (v) => api.env.setEnabled(target, v, on),
              `${flag.key} is ${on ? 'on' : 'off'} in ${environment}`,
            )
          }
        />
      </div>
      {flag.archived && (
        <p className="notice">This flag is archived: SDKs don’t see it. Restore it to serve it again.</p>
      )}

      <section className="section" aria-labelledby="off-title">
        <h3 id="off-title">
          When off <Inherited show={inherited('offVariant')} />
        </h3>
        <div className="row">
          <label htmlFor="off-variant">Serve</label>
          <select
            id="off-variant"
            value={config.offVariant ?? ''}
            onChange={(e) =>
              void props.write(
                (v) =>
                  api.env.patch(target, v, { offVariant: e.target.value === '' ? null : e.target.value }),
                'Off variant saved',
              )
            }
          >
            <option value="">
              {offVariant !== undefined && config.offVariant === undefined
                ? `${offVariant} (implicit)`
                : 'the caller’s default'}
            </option>
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </div>
      </section>

      <PrerequisitesSection {...envProps} prerequisites={config.prerequisites ?? []} />
      <TargetsSection {...envProps} targets={config.targets} />
      <OverridesSection {...envProps} overrides={config.overrides} segments={props.segments} />

      <ExperimentSection {...envProps} experiment={config.experiment} />

      <RulesSection
        {...envProps}
        rules={config.rules ?? []}
        inherited={inherited('rules')}
        segments={props.segments}
      />

      <section className="section" aria-labelledby="default-title">
        <h3 id="default-title">
          Default <span className="muted small">when no rule matches</span>{' '}
          <Inherited show={inherited('defaultServe')} />
        </h3>
        <ServeEditor {...envProps} serve={defaultServe} label="default" />
      </section>
    </section>
  );
}
