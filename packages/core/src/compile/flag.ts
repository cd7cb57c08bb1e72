import { makeResult, type Reason, type Served } from '../evaluate/result.js';
import { effectiveVariants } from '../parse/check-flag-set.js';
import type { EnvironmentConfig } from '../schema/environment-config.js';
import type { Flag, FlagType } from '../schema/flag.js';
import type { JsonValue } from '../schema/primitives.js';
import type { CompiledCondition, ConditionCompiler } from './condition.js';
import { CompiledExperiment } from './experiment.js';
import { generateMatcher, type MatcherFactory, type RuleMatcher } from './generate-matcher.js';
import { type CompiledServe, compileServe } from './serve.js';
import type { SubjectWeights } from './subject-weights.js';

export interface CompiledRule {
  readonly id: string;
  readonly conditions: readonly CompiledCondition[];
  readonly serve: CompiledServe;
}

export interface CompiledPrerequisite {
  readonly flag: string;
  readonly variants: ReadonlySet<string>;
}

export interface CompiledOverride {
  readonly segment: string;
  /** A `segment` condition on the override's segment (memoized like any condition). */
  readonly condition: CompiledCondition;
  readonly result: Served;
}

/** A flag in one environment, compiled: every result it can serve is built in advance. */
export interface CompiledFlag {
  readonly key: string;
  readonly type: FlagType;
  readonly archived: boolean;
  readonly clientVisible: boolean;
  readonly enabled: boolean;
  /** Served whatever the context (enabled, nothing to decide); reason STATIC. */
  readonly staticResult: Served | undefined;
  /** Served when disabled (without a variant when there is no off variant: the caller's default). */
  readonly offResult: Served;
  /** Served when a prerequisite fails. */
  readonly prerequisiteFailedResult: Served;
  readonly prerequisites: readonly CompiledPrerequisite[];
  readonly targets: ReadonlyMap<string, Served> | undefined;
  readonly overrides: readonly CompiledOverride[];
  readonly experiment: CompiledExperiment | undefined;
  readonly rules: readonly CompiledRule[];
  /** The rules as generated code (see generate-matcher.ts); undefined: interpret them. */
  readonly match: RuleMatcher | undefined;
  readonly defaultServe: CompiledServe;
  /** Enabled, with no prerequisites, targets, overrides or experiment: only rules and the default decide. */
  readonly simple: boolean;
  /** Set when the flag's prerequisites loop back to it. */
  cycle: string | undefined;
}

/** The environment's settings laid over the flag-level ones. */
export function configFor(flag: Flag, environment: string): EnvironmentConfig {
  const base: EnvironmentConfig = {
    enabled: flag.enabled,
    offVariant: flag.offVariant,
    prerequisites: flag.prerequisites,
    targets: flag.targets,
    overrides: flag.overrides,
    experiment: flag.experiment,
    rules: flag.rules,
    defaultServe: flag.defaultServe,
  } as EnvironmentConfig;
  const env = flag.environments?.[environment];
  if (env === undefined) return base;
  const merged: Record<string, unknown> = { ...base };
  for (const [field, value] of Object.entries(env)) if (value !== undefined) merged[field] = value;
  return merged as EnvironmentConfig;
}

export function compileFlag(
  key: string,
  flag: Flag,
  environment: string,
  conditions: ConditionCompiler,
  weights?: SubjectWeights,
  /** Where generated matchers are shared (see generate-matcher.ts); undefined: no code generation. */
  factories?: Map<string, MatcherFactory>,
): CompiledFlag {
  const variants = effectiveVariants(flag);
  const implicit = flag.type === 'boolean' && flag.variants === undefined;
  const config = configFor(flag, environment);
  const target = { key, variants, weights };
  const offVariant = config.offVariant ?? (implicit ? 'off' : undefined);
  const defaultServe = config.defaultServe ?? (implicit ? { variant: 'on' } : undefined);
  // A result without a variant carries no value: the caller's default is served instead.
  const variantResult = (variant: string | undefined, reason: Reason, ruleId?: string) =>
    makeResult(
      key,
      variant === undefined ? undefined : variantValue(variants, variant),
      variant,
      reason,
      ruleId,
    );

  const prerequisites = (config.prerequisites ?? []).map((p) => ({
    flag: p.flag,
    variants: new Set(p.variants),
  }));
  const targetEntries = Object.entries(config.targets ?? {});
  const targets =
    targetEntries.length === 0
      ? undefined
      : new Map(
          targetEntries.flatMap(([variant, keys]) =>
            keys.map((k) => [k, variantResult(variant, 'TARGETING_MATCH', '$target')] as const),
          ),
        );
  const overrides = (config.overrides ?? []).map((o) => ({
    segment: o.segment,
    condition: conditions.compile({ op: 'segment', values: [o.segment] }),
    result: variantResult(o.variant, 'TARGETING_MATCH', `$override:${o.segment}`),
  }));
  const experiment = config.experiment && new CompiledExperiment(target, config.experiment);
  const rules = (config.rules ?? []).map((rule, i) => {
    const id = rule.id ?? String(i);
    return {
      id,
      conditions: rule.conditions.map((c) => conditions.compile(c)),
      serve: compileServe(target, rule.serve, 'TARGETING_MATCH', id),
    };
  });
  const enabled = config.enabled === true;
  const dynamic =
    prerequisites.length > 0 ||
    targets !== undefined ||
    overrides.length > 0 ||
    experiment !== undefined ||
    rules.length > 0;
  const isStatic = enabled && !dynamic && defaultServe?.variant !== undefined;
  return {
    key,
    type: flag.type,
    archived: flag.archived === true,
    clientVisible: flag.clientVisible === true,
    enabled,
    staticResult: isStatic
      ? makeResult(key, variantValue(variants, defaultServe.variant!), defaultServe.variant, 'STATIC')
      : undefined,
    offResult: variantResult(offVariant, 'DISABLED'),
    prerequisiteFailedResult: variantResult(offVariant, 'PREREQUISITE_FAILED'),
    prerequisites,
    targets,
    overrides,
    experiment,
    rules,
    match:
      factories === undefined || rules.length === 0
        ? undefined
        : generateMatcher(
            rules.map((r) => r.conditions),
            factories,
          ),
    defaultServe:
      defaultServe === undefined
        ? { kind: 'variant', result: variantResult(undefined, 'DEFAULT') }
        : compileServe(target, defaultServe, 'DEFAULT'),
    simple:
      enabled &&
      prerequisites.length === 0 &&
      targets === undefined &&
      overrides.length === 0 &&
      experiment === undefined,
    cycle: undefined,
  };
}

function variantValue(variants: Readonly<Record<string, JsonValue>>, variant: string): JsonValue {
  return variants[variant] ?? null;
}
