import { type CompiledCondition, traceCondition } from '../compile/condition.js';
import type { CompiledEnvironment } from '../compile/environment.js';
import type { CompiledFlag, CompiledRule } from '../compile/flag.js';
import { NO_BUCKET } from '../compile/rollout.js';
import type { CompiledServe } from '../compile/serve.js';
import type { EvaluationContext } from './context.js';
import { errorResult, type Served } from './result.js';
import type { ConditionTrace, TraceStep } from './trace.js';

/** How deep prerequisites may nest before evaluation gives up with an error. */
export const MAX_PREREQUISITE_DEPTH = 32;

/**
 * The resolution order: disabled → prerequisites → individual targets → group
 * overrides → experiment → rules in order → default serve. Returns precomputed
 * results (no allocation) except on errors and when tracing.
 */
export function resolveFlag(
  env: CompiledEnvironment,
  flag: CompiledFlag,
  ctx: EvaluationContext,
  now: number,
  random: () => number,
  trace: TraceStep[] | undefined,
  depth: number,
  memo?: Uint8Array,
): Served {
  if (flag.staticResult !== undefined) {
    trace?.push({
      step: 'default',
      matched: true,
      detail: `enabled with nothing to decide: serves ${JSON.stringify(flag.staticResult.variant)}`,
    });
    return flag.staticResult;
  }
  if (!flag.simple) {
    const decided = resolveGates(env, flag, ctx, now, random, trace, depth, memo);
    if (decided !== undefined) return decided;
  }
  const rules = flag.rules;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    if (trace === undefined ? matches(rule, ctx, now, memo) : tracedMatch(rule, ctx, now, trace)) {
      return serve(flag, rule.serve, ctx, now, random, trace);
    }
  }
  return serve(flag, flag.defaultServe, ctx, now, random, trace);
}

/**
 * Steps 2–6 of the resolution order (disabled, prerequisites, targets, overrides,
 * experiment); undefined when none of them decides. Skipped for flags without any.
 */
function resolveGates(
  env: CompiledEnvironment,
  flag: CompiledFlag,
  ctx: EvaluationContext,
  now: number,
  random: () => number,
  trace: TraceStep[] | undefined,
  depth: number,
  memo: Uint8Array | undefined,
): Served | undefined {
  if (!flag.enabled) {
    trace?.push({
      step: 'disabled',
      matched: true,
      detail: `disabled: serves ${describeVariant(flag.offResult)}`,
    });
    return flag.offResult;
  }
  if (flag.cycle !== undefined) return errorResult(flag.key, undefined, 'GENERAL', flag.cycle);
  if (flag.prerequisites.length > 0) {
    if (depth >= MAX_PREREQUISITE_DEPTH) {
      return errorResult(
        flag.key,
        undefined,
        'GENERAL',
        `prerequisites nest deeper than ${MAX_PREREQUISITE_DEPTH} flags`,
      );
    }
    for (const prerequisite of flag.prerequisites) {
      const other = env.flags.get(prerequisite.flag);
      const outcome =
        other === undefined || other.archived
          ? undefined
          : resolveFlag(env, other, ctx, now, random, undefined, depth + 1, memo);
      const met =
        outcome !== undefined &&
        outcome.variant !== undefined &&
        outcome.reason !== 'ERROR' &&
        outcome.reason !== 'DISABLED' &&
        outcome.reason !== 'PREREQUISITE_FAILED' &&
        prerequisite.variants.has(outcome.variant);
      trace?.push({
        step: 'prerequisite',
        id: prerequisite.flag,
        matched: !met,
        detail:
          outcome === undefined
            ? `prerequisite ${JSON.stringify(prerequisite.flag)} does not exist: not met`
            : `prerequisite ${JSON.stringify(prerequisite.flag)} served ${describeVariant(outcome)} (${outcome.reason}); needs ${[...prerequisite.variants].map((v) => JSON.stringify(v)).join(' or ')}: ${met ? 'met' : 'not met'}`,
      });
      if (!met) return flag.prerequisiteFailedResult;
    }
  }
  if (flag.targets !== undefined) {
    const key = ctx.targetingKey;
    const target = typeof key === 'string' ? flag.targets.get(key) : undefined;
    trace?.push({
      step: 'target',
      matched: target !== undefined,
      detail:
        target === undefined
          ? `targeting key ${describeKey(key)} is not an individual target`
          : `targeting key ${JSON.stringify(key)} is targeted to ${JSON.stringify(target.variant)}`,
    });
    if (target !== undefined) return target;
  }
  for (const override of flag.overrides) {
    const inside = holds(override.condition, ctx, now, memo);
    trace?.push({
      step: 'override',
      id: override.segment,
      matched: inside,
      detail: `${inside ? 'in' : 'not in'} segment ${JSON.stringify(override.segment)}${inside ? `: serves ${JSON.stringify(override.result.variant)}` : ''}`,
    });
    if (inside) return override.result;
  }
  const experiment = flag.experiment;
  if (experiment !== undefined) {
    const allocated = experiment.allocate(ctx, now);
    trace?.push({
      step: 'experiment',
      id: experiment.key,
      matched: allocated !== undefined,
      detail: !experiment.isRunning(now)
        ? `experiment ${JSON.stringify(experiment.key)} is not running`
        : allocated === undefined
          ? `not allocated to experiment ${JSON.stringify(experiment.key)}`
          : `allocated to experiment ${JSON.stringify(experiment.key)}: serves ${JSON.stringify(allocated.variant)}`,
    });
    if (allocated !== undefined) return allocated;
  }
  return undefined;
}

function matches(
  rule: CompiledRule,
  ctx: EvaluationContext,
  now: number,
  memo: Uint8Array | undefined,
): boolean {
  const conditions = rule.conditions;
  for (let i = 0; i < conditions.length; i++) if (!holds(conditions[i]!, ctx, now, memo)) return false;
  return true;
}

/** Tests a condition, through the call's memo when there is one (1 = holds, 2 = doesn't). */
function holds(
  condition: CompiledCondition,
  ctx: EvaluationContext,
  now: number,
  memo: Uint8Array | undefined,
): boolean {
  if (memo === undefined) return condition.test(ctx, now);
  let known = memo[condition.slot]!;
  if (known === 0) {
    known = condition.test(ctx, now) ? 1 : 2;
    memo[condition.slot] = known;
  }
  return known === 1;
}

function tracedMatch(rule: CompiledRule, ctx: EvaluationContext, now: number, trace: TraceStep[]): boolean {
  const conditions: ConditionTrace[] = [];
  let matched = true;
  for (const condition of rule.conditions) {
    const result = condition.test(ctx, now);
    conditions.push(traceCondition(condition, ctx, now, result));
    if (!result) {
      matched = false;
      break;
    }
  }
  trace.push({
    step: 'rule',
    id: rule.id,
    matched,
    conditions,
    detail: matched
      ? `rule ${JSON.stringify(rule.id)} matched`
      : `rule ${JSON.stringify(rule.id)} did not match: condition ${conditions.length - 1} is false`,
  });
  return matched;
}

function serve(
  flag: CompiledFlag,
  what: CompiledServe,
  ctx: EvaluationContext,
  now: number,
  random: () => number,
  trace: TraceStep[] | undefined,
): Served {
  if (what.kind === 'variant') {
    if (trace !== undefined && what.result.ruleId === undefined) {
      trace.push({
        step: 'default',
        matched: true,
        detail: `no rule matched: default serves ${describeVariant(what.result)}`,
      });
    }
    return what.result;
  }
  const index = what.rollout.place(ctx, now, random);
  if (index === NO_BUCKET) {
    const attribute = what.rollout.bucketBy;
    trace?.push({
      step: 'default',
      matched: true,
      detail: `rollout needs attribute ${JSON.stringify(attribute)}, which is missing`,
    });
    return attribute === 'targetingKey'
      ? errorResult(
          flag.key,
          undefined,
          'TARGETING_KEY_MISSING',
          `flag ${JSON.stringify(flag.key)} needs a targetingKey to bucket by`,
        )
      : errorResult(
          flag.key,
          undefined,
          'INVALID_CONTEXT',
          `flag ${JSON.stringify(flag.key)} buckets by ${JSON.stringify(attribute)}, which the context lacks`,
        );
  }
  const result = what.results[index]!;
  if (trace !== undefined) {
    trace.push({
      step: 'default',
      matched: true,
      detail: `${result.ruleId === undefined ? 'default' : `rule ${JSON.stringify(result.ruleId)}`} rollout by ${JSON.stringify(what.rollout.bucketBy)}: serves ${JSON.stringify(result.variant)}`,
    });
  }
  return result;
}

function describeVariant(result: Served): string {
  return result.variant === undefined ? "the caller's default" : JSON.stringify(result.variant);
}

/** A targeting key in a trace; only a string can be one (and JSON.stringify throws on a BigInt). */
function describeKey(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key) : `(${typeof key})`;
}
