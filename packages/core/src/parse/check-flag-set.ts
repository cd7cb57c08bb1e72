import { findCycles } from '../graph/find-cycles.js';
import type { EnvironmentConfig } from '../schema/environment-config.js';
import type { Flag } from '../schema/flag.js';
import type { FlagSetDefinition } from '../schema/flag-set.js';
import type { JsonValue } from '../schema/primitives.js';
import type { Serve } from '../schema/rollout.js';
import { checkCondition, conditionValues } from './check-condition.js';
import { checkWeightedBy, weightTableNames } from './check-weighted-by.js';
import type { FlagSetIssue } from './issue.js';

type Path = readonly (string | number)[];

/** The variants a flag really has: its own, or on/off for a boolean flag without any. */
export function effectiveVariants(flag: Flag): Readonly<Record<string, JsonValue>> {
  if (flag.variants !== undefined) return flag.variants;
  return flag.type === 'boolean' ? IMPLICIT_BOOLEAN_VARIANTS : {};
}

const IMPLICIT_BOOLEAN_VARIANTS: Readonly<Record<string, JsonValue>> = Object.freeze({
  on: true,
  off: false,
});

/**
 * Checks what a schema can't: that every variant, segment and flag named exists,
 * that values suit their operators and types, that segments don't include themselves.
 */
export function checkFlagSet(set: FlagSetDefinition): FlagSetIssue[] {
  const issues: FlagSetIssue[] = [];
  const segments = set.segments ?? {};
  const segmentKeys = new Set(Object.keys(segments));
  for (const [key, segment] of Object.entries(segments)) {
    segment.conditions?.forEach((condition, i) => {
      checkCondition(condition, ['segments', key, 'conditions', i], segmentKeys, issues);
    });
  }
  checkSegmentCycles(set, issues);
  const weightTables = weightTableNames(set.subjectWeights);
  for (const [key, flag] of Object.entries(set.flags)) {
    checkFlag(set, key, flag, segmentKeys, weightTables, issues);
  }
  return issues;
}

function checkFlag(
  set: FlagSetDefinition,
  key: string,
  flag: Flag,
  segmentKeys: ReadonlySet<string>,
  weightTables: ReadonlySet<string>,
  issues: FlagSetIssue[],
): void {
  const path = ['flags', key];
  const variants = effectiveVariants(flag);
  const names = Object.keys(variants);
  if (names.length === 0) {
    issues.push({ path: [...path, 'variants'], message: `a ${flag.type} flag needs at least one variant` });
  }
  for (const name of names) {
    const problem = valueTypeProblem(flag.type, variants[name]);
    if (problem !== undefined) issues.push({ path: [...path, 'variants', name], message: problem });
  }
  const ctx: FlagCheck = { set, key, variants: new Set(names), segmentKeys, weightTables, issues };
  checkConfig(ctx, flag, path);
  for (const [env, config] of Object.entries(flag.environments ?? {})) {
    checkConfig(ctx, config, [...path, 'environments', env]);
  }
}

interface FlagCheck {
  readonly set: FlagSetDefinition;
  readonly key: string;
  readonly variants: ReadonlySet<string>;
  readonly segmentKeys: ReadonlySet<string>;
  readonly weightTables: ReadonlySet<string>;
  readonly issues: FlagSetIssue[];
}

function checkConfig(ctx: FlagCheck, config: EnvironmentConfig, path: Path): void {
  const { issues } = ctx;
  if (config.offVariant !== undefined) checkVariant(ctx, config.offVariant, [...path, 'offVariant']);
  config.prerequisites?.forEach((prerequisite, i) => {
    const at = [...path, 'prerequisites', i];
    if (prerequisite.flag === ctx.key) {
      issues.push({ path: [...at, 'flag'], message: 'a flag cannot be its own prerequisite' });
      return;
    }
    const other = ctx.set.flags[prerequisite.flag];
    if (other === undefined) return; // may live outside this set (a client-scoped snapshot); fails at evaluation
    const known = effectiveVariants(other);
    prerequisite.variants.forEach((variant, j) => {
      if (!(variant in known)) {
        issues.push({
          path: [...at, 'variants', j],
          message: `flag ${JSON.stringify(prerequisite.flag)} has no variant ${JSON.stringify(variant)}`,
        });
      }
    });
  });
  const targeted = new Map<string, string>();
  for (const [variant, keys] of Object.entries(config.targets ?? {})) {
    checkVariant(ctx, variant, [...path, 'targets', variant]);
    keys.forEach((targetKey, i) => {
      const earlier = targeted.get(targetKey);
      if (earlier !== undefined && earlier !== variant) {
        issues.push({
          path: [...path, 'targets', variant, i],
          message: `key ${JSON.stringify(targetKey)} is also targeted to ${JSON.stringify(earlier)}`,
        });
      }
      targeted.set(targetKey, variant);
    });
  }
  config.overrides?.forEach((override, i) => {
    if (!ctx.segmentKeys.has(override.segment)) {
      issues.push({
        path: [...path, 'overrides', i, 'segment'],
        message: `unknown segment ${JSON.stringify(override.segment)}`,
      });
    }
    checkVariant(ctx, override.variant, [...path, 'overrides', i, 'variant']);
  });
  if (config.experiment !== undefined) {
    const at = [...path, 'experiment'];
    checkWeights(ctx, config.experiment.variants, [...at, 'variants']);
    checkWindow(config.experiment.start, config.experiment.end, at, issues);
    checkWeightedBy(config.experiment, ctx.weightTables, at, issues);
  }
  const ruleIds = new Set<string>();
  config.rules?.forEach((rule, i) => {
    const at = [...path, 'rules', i];
    if (rule.id !== undefined) {
      if (ruleIds.has(rule.id))
        issues.push({ path: [...at, 'id'], message: `duplicate rule id ${JSON.stringify(rule.id)}` });
      ruleIds.add(rule.id);
    }
    rule.conditions.forEach((condition, j) => {
      checkCondition(condition, [...at, 'conditions', j], ctx.segmentKeys, issues);
    });
    checkServe(ctx, rule.serve, [...at, 'serve']);
  });
  if (config.defaultServe !== undefined) checkServe(ctx, config.defaultServe, [...path, 'defaultServe']);
}

function checkServe(ctx: FlagCheck, serve: Serve, path: Path): void {
  if (serve.variant !== undefined) {
    checkVariant(ctx, serve.variant, [...path, 'variant']);
    return;
  }
  const rollout = serve.rollout;
  if (rollout === undefined) return;
  const at = [...path, 'rollout'];
  checkWeights(ctx, rollout.variants, [...at, 'variants']);
  checkWeightedBy(rollout, ctx.weightTables, at, ctx.issues);
  if (rollout.ramp !== undefined && rollout.schedule !== undefined) {
    ctx.issues.push({ path: at, message: 'give "ramp" or "schedule", not both' });
  }
  if (rollout.ramp !== undefined) {
    checkWeights(ctx, rollout.ramp.to, [...at, 'ramp', 'to']);
    checkWindow(rollout.ramp.start, rollout.ramp.end, [...at, 'ramp'], ctx.issues);
  }
  let previous = Number.NEGATIVE_INFINITY;
  rollout.schedule?.forEach((step, i) => {
    checkWeights(ctx, step.variants, [...at, 'schedule', i, 'variants']);
    const at2 = Date.parse(step.at);
    if (at2 <= previous) {
      ctx.issues.push({
        path: [...at, 'schedule', i, 'at'],
        message: 'schedule steps must be in increasing time order',
      });
    }
    previous = at2;
  });
}

function checkWeights(ctx: FlagCheck, weights: Record<string, number>, path: Path): void {
  for (const variant of Object.keys(weights)) checkVariant(ctx, variant, [...path, variant]);
}

function checkVariant(ctx: FlagCheck, variant: string, path: Path): void {
  if (!ctx.variants.has(variant)) {
    ctx.issues.push({
      path,
      message: `unknown variant ${JSON.stringify(variant)}; the flag has ${listNames(ctx.variants)}`,
    });
  }
}

function checkWindow(
  start: string | undefined,
  end: string | undefined,
  path: Path,
  issues: FlagSetIssue[],
): void {
  if (start !== undefined && end !== undefined && Date.parse(end) <= Date.parse(start)) {
    issues.push({ path: [...path, 'end'], message: 'end must be after start' });
  }
}

function listNames(names: ReadonlySet<string>): string {
  return names.size === 0 ? 'none' : [...names].map((n) => JSON.stringify(n)).join(', ');
}

function valueTypeProblem(type: Flag['type'], value: JsonValue | undefined): string | undefined {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `a boolean flag's variants must be true or false`;
    case 'string':
      return typeof value === 'string' ? undefined : `a string flag's variants must be strings`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value)
        ? undefined
        : `a number flag's variants must be numbers`;
    case 'json':
      return undefined;
  }
}

/** Segments may use other segments; a loop among them is an error. */
function checkSegmentCycles(set: FlagSetDefinition, issues: FlagSetIssue[]): void {
  const segments = set.segments ?? {};
  const uses = new Map<string, string[]>();
  for (const [key, segment] of Object.entries(segments)) {
    const refs: string[] = [];
    for (const condition of segment.conditions ?? []) {
      if (condition.op !== 'segment') continue;
      for (const value of conditionValues(condition))
        if (typeof value === 'string' && value in segments) refs.push(value);
    }
    uses.set(key, refs);
  }
  findCycles(
    uses.keys(),
    (key) => uses.get(key) ?? [],
    (loop) => {
      const first = loop[0]!;
      issues.push({
        path: ['segments', first],
        message: `segments form a cycle: ${[...loop, first].join(' → ')}`,
      });
    },
  );
}
