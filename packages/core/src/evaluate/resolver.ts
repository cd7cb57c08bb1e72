import type { Clock } from '../compile/attribute.js';
import { type CompiledCondition, traceCondition } from '../compile/condition.js';
import type { CompiledEnvironment } from '../compile/environment.js';
import type { CompiledFlag, CompiledRule } from '../compile/flag.js';
import { NO_BUCKET } from '../compile/rollout.js';
import type { CompiledServe } from '../compile/serve.js';
import type { EvaluationContext } from './context.js';
import { errorResult, type Served } from './result.js';
import type { ConditionTrace, TraceStep } from './trace.js';
import * as explain from './trace-messages.js';

/** How deep prerequisites may nest before evaluation gives up with an error. */
export const MAX_PREREQUISITE_DEPTH = 32;

/**
 * One evaluation call: the time, random source, trace and (for `evaluateAll`) the memo of
 * condition outcomes; the environment and context are passed along as arguments (a store
 * of an object into this long-lived resolver calls V8's write barrier, an argument
 * doesn't). Applies the resolution order: disabled → prerequisites → individual targets →
 * group overrides → experiment → rules in order → default serve. Returns precomputed
 * results (no allocation) except on errors and when tracing.
 */
export class Resolver implements Clock {
  now = Number.NaN;
  random: () => number = Math.random;
  trace: TraceStep[] | undefined;
  /** Outcomes of shared conditions in this call: 0 unknown, 1 holds, 2 doesn't. */
  memo: Uint8Array | undefined;
  busy = false;

  resolve(env: CompiledEnvironment, flag: CompiledFlag, ctx: EvaluationContext, depth: number): Served {
    const trace = this.trace;
    if (flag.staticResult !== undefined) {
      trace?.push(explain.staticResult(flag.staticResult));
      return flag.staticResult;
    }
    if (!flag.simple) {
      const decided = this.gates(env, flag, ctx, depth);
      if (decided !== undefined) return decided;
    }
    const rules = flag.rules;
    // Generated code when there is some, except for traces and evaluateAll's memo.
    const match = flag.match;
    if (match !== undefined && trace === undefined && this.memo === undefined) {
      const i = match(ctx, this);
      return this.serve(flag, i < 0 ? flag.defaultServe : rules[i]!.serve, ctx);
    }
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (trace === undefined ? this.matches(rule, ctx) : this.tracedMatch(rule, ctx, trace)) {
        return this.serve(flag, rule.serve, ctx);
      }
    }
    return this.serve(flag, flag.defaultServe, ctx);
  }

  /**
   * Steps 2–6 of the resolution order (disabled, prerequisites, targets, overrides,
   * experiment); undefined when none of them decides. Skipped for flags without any.
   */
  private gates(
    env: CompiledEnvironment,
    flag: CompiledFlag,
    ctx: EvaluationContext,
    depth: number,
  ): Served | undefined {
    const { trace, now } = this;
    if (!flag.enabled) {
      trace?.push(explain.disabled(flag.offResult));
      return flag.offResult;
    }
    if (flag.cycle !== undefined) return errorResult(flag.key, undefined, 'GENERAL', flag.cycle);
    if (flag.prerequisites.length > 0) {
      if (depth >= MAX_PREREQUISITE_DEPTH) {
        return errorResult(flag.key, undefined, 'GENERAL', explain.tooDeep(MAX_PREREQUISITE_DEPTH));
      }
      for (const prerequisite of flag.prerequisites) {
        const other = env.flags.get(prerequisite.flag);
        const outcome =
          other === undefined || other.archived ? undefined : this.resolveQuietly(env, other, ctx, depth + 1);
        const met =
          outcome !== undefined &&
          outcome.variant !== undefined &&
          outcome.reason !== 'ERROR' &&
          outcome.reason !== 'DISABLED' &&
          outcome.reason !== 'PREREQUISITE_FAILED' &&
          prerequisite.variants.has(outcome.variant);
        trace?.push(explain.prerequisite(prerequisite, outcome, met));
        if (!met) return flag.prerequisiteFailedResult;
      }
    }
    if (flag.targets !== undefined) {
      const key = ctx.targetingKey;
      const target = typeof key === 'string' ? flag.targets.get(key) : undefined;
      trace?.push(explain.target(key, target));
      if (target !== undefined) return target;
    }
    for (const override of flag.overrides) {
      const inside = this.holds(override.condition, ctx);
      trace?.push(explain.override(override, inside));
      if (inside) return override.result;
    }
    const experiment = flag.experiment;
    if (experiment !== undefined) {
      const allocated = experiment.allocate(ctx, this);
      trace?.push(explain.experiment(experiment, now, allocated));
      if (allocated !== undefined) return allocated;
    }
    return undefined;
  }

  /** A prerequisite's outcome: resolved without adding its steps to the trace. */
  private resolveQuietly(
    env: CompiledEnvironment,
    flag: CompiledFlag,
    ctx: EvaluationContext,
    depth: number,
  ): Served {
    const trace = this.trace;
    this.trace = undefined;
    try {
      return this.resolve(env, flag, ctx, depth);
    } finally {
      this.trace = trace;
    }
  }

  private matches(rule: CompiledRule, ctx: EvaluationContext): boolean {
    const conditions = rule.conditions;
    for (let i = 0; i < conditions.length; i++) if (!this.holds(conditions[i]!, ctx)) return false;
    return true;
  }

  /** Tests a condition, through the call's memo when there is one. */
  private holds(condition: CompiledCondition, ctx: EvaluationContext): boolean {
    const memo = this.memo;
    if (memo === undefined) return condition.test(ctx, this);
    let known = memo[condition.slot]!;
    if (known === 0) {
      known = condition.test(ctx, this) ? 1 : 2;
      memo[condition.slot] = known;
    }
    return known === 1;
  }

  private tracedMatch(rule: CompiledRule, ctx: EvaluationContext, trace: TraceStep[]): boolean {
    const conditions: ConditionTrace[] = [];
    let matched = true;
    for (const condition of rule.conditions) {
      const result = condition.test(ctx, this);
      conditions.push(traceCondition(condition, ctx, this, result));
      if (!result) {
        matched = false;
        break;
      }
    }
    trace.push(explain.rule(rule, matched, conditions));
    return matched;
  }

  private serve(flag: CompiledFlag, what: CompiledServe, ctx: EvaluationContext): Served {
    const trace = this.trace;
    if (what.kind === 'variant') {
      if (trace !== undefined && what.result.ruleId === undefined)
        trace.push(explain.defaultVariant(what.result));
      return what.result;
    }
    const index = what.rollout.place(ctx, this, this.random);
    if (index === NO_BUCKET) {
      const attribute = what.rollout.bucketBy;
      trace?.push(explain.missingBucketAttribute(attribute));
      return attribute === 'targetingKey'
        ? errorResult(flag.key, undefined, 'TARGETING_KEY_MISSING', explain.needsTargetingKey(flag.key))
        : errorResult(flag.key, undefined, 'INVALID_CONTEXT', explain.needsAttribute(flag.key, attribute));
    }
    const result = what.results[index]!;
    trace?.push(explain.rollout(result, what.rollout, ctx, this));
    return result;
  }
}

const shared = new Resolver();

/**
 * A resolver set up for one call: the shared one, or a fresh one when a call is already
 * under way (a context getter or random source that evaluates flags itself). Release it.
 */
export function acquireResolver(
  now: number,
  random: () => number,
  trace: TraceStep[] | undefined,
  memo: Uint8Array | undefined,
): Resolver {
  const resolver = shared.busy ? new Resolver() : shared;
  resolver.busy = true;
  // Storing an object into the long-lived resolver calls a write barrier: skip the stores
  // that would change nothing (the random source, trace and memo rarely change).
  resolver.now = now;
  if (resolver.random !== random) resolver.random = random;
  if (resolver.trace !== trace) resolver.trace = trace;
  if (resolver.memo !== memo) resolver.memo = memo;
  return resolver;
}

/** Ends a call: drops its references, so the shared resolver keeps nothing alive. */
export function releaseResolver(resolver: Resolver): void {
  resolver.busy = false;
  resolver.trace = undefined;
  resolver.memo = undefined;
  if (resolver.random !== Math.random) resolver.random = Math.random;
}
