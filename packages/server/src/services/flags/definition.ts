import type { EnvironmentConfig, JsonValue } from '@vexil/core';
import type { FlagDefinition } from '../../stores/types.js';

/** The environment-setting fields a flag may carry at its top level and per environment. */
export const CONFIG_FIELDS = [
  'enabled',
  'offVariant',
  'prerequisites',
  'targets',
  'overrides',
  'experiment',
  'rules',
  'defaultServe',
] as const satisfies readonly (keyof EnvironmentConfig)[];

/** Fields the server owns; never part of a stored definition. */
const SYSTEM_FIELDS = ['version', 'createdAt', 'updatedAt', 'archived'] as const;

/** A copy without the fields the server owns. */
export function withoutSystemFields<T extends object>(
  definition: T,
): Omit<T, (typeof SYSTEM_FIELDS)[number]> {
  const copy = { ...definition } as Record<string, unknown>;
  for (const field of SYSTEM_FIELDS) delete copy[field];
  return copy as Omit<T, (typeof SYSTEM_FIELDS)[number]>;
}

/** The settings in force in `environment`: the flag-level ones with the environment's laid over them. */
export function effectiveConfig(definition: FlagDefinition, environment: string): EnvironmentConfig {
  const merged: Record<string, unknown> = {};
  for (const field of CONFIG_FIELDS) if (definition[field] !== undefined) merged[field] = definition[field];
  const own = definition.environments?.[environment];
  if (own !== undefined)
    for (const [field, value] of Object.entries(own)) if (value !== undefined) merged[field] = value;
  return merged as EnvironmentConfig;
}

/** The definition with `environment`'s own settings replaced (an empty one is dropped). */
export function withEnvironmentConfig(
  definition: FlagDefinition,
  environment: string,
  config: EnvironmentConfig | undefined,
): FlagDefinition {
  const environments = { ...(definition.environments ?? {}) };
  if (config === undefined || Object.keys(config).length === 0) delete environments[environment];
  else environments[environment] = config;
  const next: FlagDefinition = { ...definition, environments };
  if (Object.keys(environments).length === 0) delete next.environments;
  return next;
}

/** Changes some of the environment's own settings; `undefined` removes one (falls back to the flag level). */
export function patchEnvironmentConfig(
  definition: FlagDefinition,
  environment: string,
  patch: { [K in keyof EnvironmentConfig]?: EnvironmentConfig[K] | undefined },
): FlagDefinition {
  const own: Record<string, unknown> = { ...(definition.environments?.[environment] ?? {}) };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) delete own[field];
    else own[field] = value;
  }
  return withEnvironmentConfig(definition, environment, own as EnvironmentConfig);
}

/** The variants a flag really has: its own, or on/off for a boolean flag without any. */
export function effectiveVariants(definition: FlagDefinition): Record<string, JsonValue> {
  if (definition.variants !== undefined) return { ...definition.variants };
  return definition.type === 'boolean' ? { on: true, off: false } : {};
}

/** Every (path, flag key) of a definition's prerequisites, at the flag level and per environment. */
export function prerequisiteRefs(definition: FlagDefinition): { path: (string | number)[]; flag: string }[] {
  const refs: { path: (string | number)[]; flag: string }[] = [];
  definition.prerequisites?.forEach((p, i) => {
    refs.push({ path: ['prerequisites', i, 'flag'], flag: p.flag });
  });
  for (const [env, config] of Object.entries(definition.environments ?? {})) {
    config.prerequisites?.forEach((p, i) => {
      refs.push({ path: ['environments', env, 'prerequisites', i, 'flag'], flag: p.flag });
    });
  }
  return refs;
}

/** Every segment key a definition names (group overrides and `segment` conditions). */
export function segmentRefs(definition: FlagDefinition): Set<string> {
  const refs = new Set<string>();
  const visit = (config: EnvironmentConfig) => {
    for (const o of config.overrides ?? []) refs.add(o.segment);
    for (const rule of config.rules ?? []) {
      for (const c of rule.conditions) {
        if (c.op !== 'segment') continue;
        for (const v of c.values ?? (c.value === undefined ? [] : [c.value]))
          if (typeof v === 'string') refs.add(v);
      }
    }
  };
  visit(definition);
  for (const config of Object.values(definition.environments ?? {})) visit(config);
  return refs;
}

/** Every weight table a definition's rollouts and experiments name in `weightedBy`, in any environment. */
export function weightTableRefs(definition: FlagDefinition): Set<string> {
  const refs = new Set<string>();
  const visit = (config: EnvironmentConfig) => {
    if (config.experiment?.weightedBy !== undefined) refs.add(config.experiment.weightedBy);
    for (const serve of [config.defaultServe, ...(config.rules ?? []).map((r) => r.serve)]) {
      if (serve?.rollout?.weightedBy !== undefined) refs.add(serve.rollout.weightedBy);
    }
  };
  visit(definition);
  for (const config of Object.values(definition.environments ?? {})) visit(config);
  return refs;
}
