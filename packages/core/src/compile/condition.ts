import type { EvaluationContext } from '../evaluate/context.js';
import type { ConditionTrace } from '../evaluate/trace.js';
import {
  compilePredicate,
  MATCH,
  NO_MATCH,
  NOT_APPLICABLE,
  type Predicate,
  type Verdict,
} from '../operators/predicates.js';
import { conditionValues } from '../parse/check-condition.js';
import type { Condition } from '../schema/condition.js';
import { type AttributeGetter, compileAttribute } from './attribute.js';

/** A condition ready to run. */
export interface CompiledCondition {
  readonly source: Condition;
  test(ctx: EvaluationContext, now: number): boolean;
  /** The value the condition looks at (for traces). */
  actual(ctx: EvaluationContext, now: number): unknown;
}

/** Anything a `segment` condition can ask about membership. */
export interface SegmentMembership {
  contains(ctx: EvaluationContext, now: number): boolean;
}

/** Reads the segments a `segment` condition names (resolved lazily; segments may refer to segments). */
export type SegmentLookup = (key: string) => SegmentMembership | undefined;

/**
 * Compiles a condition. Missing attributes and values of the wrong kind make a
 * condition false whatever `negate` says; an array attribute matches when any
 * element does.
 */
export function compileCondition(source: Condition, segments: SegmentLookup): CompiledCondition {
  const values = conditionValues(source);
  const negate = source.negate === true;
  if (source.op === 'segment') {
    const members = values
      .map((v) => segments(String(v)))
      .filter((s): s is SegmentMembership => s !== undefined);
    return {
      source,
      actual: () => undefined,
      test: (ctx, now) => {
        for (const s of members) if (s.contains(ctx, now)) return !negate;
        return negate;
      },
    };
  }
  const get = compileAttribute(source.attribute ?? '');
  if (source.op === 'exists') {
    return { source, actual: get, test: (ctx, now) => isPresent(get(ctx, now)) !== negate };
  }
  const inverted = source.op === 'neq' || source.op === 'notIn';
  const op = source.op === 'neq' ? 'eq' : source.op === 'notIn' ? 'in' : source.op;
  const predicate = compilePredicate(op, values);
  return { source, actual: get, test: makeTest(get, predicate, negate !== inverted) };
}

function makeTest(get: AttributeGetter, predicate: Predicate, negate: boolean) {
  return (ctx: EvaluationContext, now: number): boolean => {
    const actual = get(ctx, now);
    if (!isPresent(actual)) return false;
    const verdict = Array.isArray(actual) ? anyElement(actual, predicate) : predicate(actual);
    return verdict === NOT_APPLICABLE ? false : (verdict === MATCH) !== negate;
  };
}

function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && typeof value !== 'function';
}

function anyElement(values: readonly unknown[], predicate: Predicate): Verdict {
  let applicable = values.length === 0;
  for (const value of values) {
    if (!isPresent(value)) continue;
    const verdict = predicate(value);
    if (verdict === MATCH) return MATCH;
    if (verdict === NO_MATCH) applicable = true;
  }
  return applicable ? NO_MATCH : NOT_APPLICABLE;
}

/** Describes how a condition came out, for a trace. */
export function traceCondition(
  condition: CompiledCondition,
  ctx: EvaluationContext,
  now: number,
  result: boolean,
): ConditionTrace {
  const { source } = condition;
  return {
    attribute: source.attribute,
    op: source.op,
    values: conditionValues(source),
    negate: source.negate === true,
    actual: condition.actual(ctx, now),
    result,
  };
}
