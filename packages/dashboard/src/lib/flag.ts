import type { Condition, EnvironmentConfig, Flag, JsonValue, Serve } from '@vexil/core';
import { formatWeight, variantOrder, weightsAt } from './rollout.js';

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

export type ConfigField = (typeof CONFIG_FIELDS)[number];

/** The settings in force in an environment, and which of them the environment sets itself. */
export interface EffectiveConfig {
  readonly config: EnvironmentConfig;
  /** Fields set under `environments.<env>`; the others come from the flag level (or defaults). */
  readonly own: ReadonlySet<ConfigField>;
}

/** The flag-level settings with the environment's own laid over them (the server's rule). */
export function effectiveConfig(flag: Flag, environment: string): EffectiveConfig {
  const merged: Record<string, unknown> = {};
  const own = new Set<ConfigField>();
  for (const field of CONFIG_FIELDS) if (flag[field] !== undefined) merged[field] = flag[field];
  const envConfig = flag.environments?.[environment];
  for (const field of CONFIG_FIELDS) {
    const value = envConfig?.[field];
    if (value !== undefined) {
      merged[field] = value;
      own.add(field);
    }
  }
  return { config: merged as EnvironmentConfig, own };
}

/** Whether the flag is on in the environment (off unless enabled somewhere). */
export function isEnabled(flag: Flag, environment: string): boolean {
  return effectiveConfig(flag, environment).config.enabled === true;
}

/** The variants a flag really has: its own, or on/off for a boolean flag without any. */
export function variantsOf(flag: Flag): Record<string, JsonValue> {
  if (flag.variants !== undefined) return flag.variants;
  return flag.type === 'boolean' ? { on: true, off: false } : {};
}

/** The off variant and default serve, with a boolean flag's implicit `off` / `on`. */
export function servingDefaults(
  flag: Flag,
  config: EnvironmentConfig,
): { offVariant?: string | undefined; defaultServe?: Serve | undefined; implicit: boolean } {
  if (flag.type === 'boolean' && flag.variants === undefined) {
    return {
      offVariant: config.offVariant ?? 'off',
      defaultServe: config.defaultServe ?? { variant: 'on' },
      implicit: config.defaultServe === undefined || config.offVariant === undefined,
    };
  }
  return { offVariant: config.offVariant, defaultServe: config.defaultServe, implicit: false };
}

/** The values a condition compares with (`value` or `values`). */
export function conditionValues(condition: Condition): (string | number | boolean)[] {
  if (condition.values !== undefined) return [...condition.values];
  if (condition.value !== undefined) return [condition.value];
  return [];
}

const OP_WORDS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  notIn: 'is not one of',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  startsWith: 'starts with',
  endsWith: 'ends with',
  contains: 'contains',
  matches: 'matches',
  exists: 'exists',
  semverEq: 'is version',
  semverLt: 'is a version below',
  semverGt: 'is a version above',
  before: 'is before',
  after: 'is after',
  segment: 'is in segment',
};

/** A condition as a phrase: `country is one of "US", "CA"`, `not (plan is "free")`. */
export function describeCondition(condition: Condition): string {
  const values = conditionValues(condition).map((v) => JSON.stringify(v));
  const op = OP_WORDS[condition.op] ?? condition.op;
  const phrase =
    condition.op === 'segment'
      ? `context ${op} ${values.join(' or ')}`
      : `${condition.attribute ?? '?'} ${op}${values.length > 0 ? ` ${values.join(', ')}` : ''}`;
  return condition.negate === true ? `not (${phrase})` : phrase;
}

/** What a serve gives, in words: `variant "on"` or `on 25% · off 75%`. */
export function describeServe(serve: Serve | undefined, now?: number): string {
  if (serve === undefined) return 'nothing (the caller’s default)';
  if (serve.variant !== undefined) return `variant ${serve.variant}`;
  const rollout = serve.rollout!;
  const weights = weightsAt(rollout, now);
  const split = variantOrder(rollout)
    .filter((name) => (weights[name] ?? 0) > 0)
    .map((name) => `${name} ${formatWeight(weights[name] ?? 0)}`)
    .join(' · ');
  const extra =
    rollout.ramp !== undefined ? ' (ramping)' : rollout.schedule !== undefined ? ' (scheduled)' : '';
  return `rollout ${split}${extra}`;
}

/** A JSON value shown compactly (strings without quotes when plain). */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === undefined) return '—';
  return JSON.stringify(value);
}

/** Parses a variant value typed for a flag of `type`; throws with a sentence when it isn't one. */
export function parseVariantValue(type: Flag['type'], text: string): JsonValue {
  switch (type) {
    case 'boolean':
      if (text === 'true' || text === 'false') return text === 'true';
      throw new Error('a boolean flag’s values are true or false');
    case 'number': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n))
        throw new Error(`${JSON.stringify(text)} is not a number`);
      return n;
    }
    case 'string':
      return text;
    case 'json':
      try {
        return JSON.parse(text) as JsonValue;
      } catch {
        throw new Error('not valid JSON');
      }
  }
}

/** Splits `"US, CA"` or one value per line into values, typed: numbers and booleans stay strings unless `typed`. */
export function splitValues(text: string, typed: boolean): (string | number | boolean)[] {
  return text
    .split(/[\n,]/)
    .map((v) => v.trim())
    .filter((v) => v !== '')
    .map((v) => {
      if (!typed) return v.replace(/^"(.*)"$/, '$1');
      if (v === 'true' || v === 'false') return v === 'true';
      if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
      return v.replace(/^"(.*)"$/, '$1');
    });
}
