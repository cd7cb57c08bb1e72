import type { EnvironmentConfig, Serve } from '@vexil/core';
import { formatTable, percent } from './output.js';

/** A flag as the admin API returns it (the fields the CLI reads). */
export interface FlagView extends EnvironmentConfig {
  readonly key: string;
  readonly type: string;
  readonly name?: string;
  readonly description?: string;
  readonly tags?: string[];
  readonly owner?: string;
  readonly variants?: Record<string, unknown>;
  readonly archived: boolean;
  readonly version: number;
  readonly clientVisible?: boolean;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly environments?: Record<string, EnvironmentConfig>;
}

/** The settings an environment sees: its own over the flag's. */
export function environmentView(flag: FlagView, environment: string): EnvironmentConfig {
  const { environments, ...rest } = flag;
  const own = environments?.[environment] ?? {};
  const base: EnvironmentConfig = {};
  for (const field of FIELDS) {
    const value = own[field] ?? rest[field];
    if (value !== undefined) (base as Record<string, unknown>)[field] = value;
  }
  return base;
}

const FIELDS = [
  'enabled',
  'offVariant',
  'prerequisites',
  'targets',
  'overrides',
  'experiment',
  'rules',
  'defaultServe',
] as const satisfies readonly (keyof EnvironmentConfig)[];

/** `on`/`off` in an environment. */
export function isOn(flag: FlagView, environment: string): boolean {
  return environmentView(flag, environment).enabled === true;
}

/** One line for what a serve does: `variant on`, `rollout on 25%, off 75% (ramp to … by …)`. */
export function describeServe(serve: Serve | undefined): string {
  if (serve === undefined) return '(nothing set: the off variant)';
  if (serve.variant !== undefined) return `variant ${serve.variant}`;
  const rollout = serve.rollout!;
  const parts = [`rollout ${weights(rollout.variants)}`];
  if (rollout.bucketBy !== undefined) parts.push(`by ${rollout.bucketBy}`);
  if (rollout.weightedBy !== undefined) parts.push(`weighted by table ${rollout.weightedBy}`);
  if (rollout.random === true) parts.push('random');
  if (rollout.ramp !== undefined) {
    parts.push(`ramping to ${weights(rollout.ramp.to)} from ${rollout.ramp.start} to ${rollout.ramp.end}`);
  }
  for (const step of rollout.schedule ?? []) parts.push(`at ${step.at}: ${weights(step.variants)}`);
  return parts.join('; ');
}

function weights(w: Record<string, number>): string {
  return Object.entries(w)
    .map(([variant, weight]) => `${variant} ${percent(weight)}`)
    .join(', ');
}

/** The human view of `vexil flags get`. */
export function describeFlag(flag: FlagView, environments: readonly string[]): string {
  const lines = [`${flag.key}  (${flag.type}${flag.archived ? ', archived' : ''}, version ${flag.version})`];
  if (flag.name !== undefined) lines.push(`name:         ${flag.name}`);
  if (flag.description !== undefined) lines.push(`description:  ${flag.description}`);
  if (flag.tags !== undefined && flag.tags.length > 0) lines.push(`tags:         ${flag.tags.join(', ')}`);
  if (flag.owner !== undefined) lines.push(`owner:        ${flag.owner}`);
  if (flag.clientVisible === true) lines.push('client-visible');
  const variants = Object.entries(flag.variants ?? {});
  if (variants.length > 0) {
    lines.push(`variants:     ${variants.map(([n, v]) => `${n}=${JSON.stringify(v)}`).join(', ')}`);
  }
  lines.push(`updated:      ${flag.updatedAt} by ${flag.updatedBy}`, '');
  const rows = environments.map((env) => {
    const config = environmentView(flag, env);
    const rules = config.rules?.length ?? 0;
    return [
      env,
      config.enabled === true ? 'on' : 'off',
      rules === 0 ? '-' : String(rules),
      describeServe(config.defaultServe),
    ];
  });
  lines.push(formatTable(['ENVIRONMENT', 'STATE', 'RULES', 'DEFAULT SERVE'], rows));
  return lines.join('\n');
}
