import type { JsonValue } from '../schema/primitives.js';
import type { TraceStep } from './trace.js';

/** Why a value was served: OpenFeature's reasons, plus Vexil's `PREREQUISITE_FAILED`. */
export type Reason =
  | 'STATIC'
  | 'DEFAULT'
  | 'TARGETING_MATCH'
  | 'SPLIT'
  | 'DISABLED'
  | 'ERROR'
  | 'PREREQUISITE_FAILED';

/** OpenFeature's error codes. */
export type ErrorCode =
  | 'FLAG_NOT_FOUND'
  | 'TYPE_MISMATCH'
  | 'PARSE_ERROR'
  | 'TARGETING_KEY_MISSING'
  | 'INVALID_CONTEXT'
  | 'PROVIDER_NOT_READY'
  | 'GENERAL';

/** The outcome of evaluating one flag. Evaluation never throws; problems come back here. */
export interface EvaluationResult<T = JsonValue | undefined> {
  readonly key: string;
  readonly value: T;
  /** The variant served; absent when the caller's default was returned. */
  readonly variant?: string | undefined;
  readonly reason: Reason;
  /**
   * The rule that matched: the rule's id (or its index when it has none),
   * `$target` for an individual target, `$override:<segment>` for a group override.
   */
  readonly ruleId?: string | undefined;
  /** The experiment the subject was allocated to. */
  readonly experiment?: string | undefined;
  readonly errorCode?: ErrorCode | undefined;
  readonly errorMessage?: string | undefined;
  /** Rule-by-rule explanation, when asked for with `trace: true`. */
  readonly trace?: readonly TraceStep[] | undefined;
}

/** Builds a frozen result; every result has the same shape, so callers' property reads stay fast. */
export function makeResult<T>(
  key: string,
  value: T,
  variant: string | undefined,
  reason: Reason,
  ruleId?: string,
  experiment?: string,
): EvaluationResult<T> {
  return Object.freeze({
    key,
    value,
    variant,
    reason,
    ruleId,
    experiment,
    errorCode: undefined,
    errorMessage: undefined,
    trace: undefined,
  });
}

/** A result carrying the caller's default and an error. */
export function errorResult<T>(
  key: string,
  value: T,
  errorCode: ErrorCode,
  errorMessage: string,
): EvaluationResult<T> {
  return Object.freeze({
    key,
    value,
    variant: undefined,
    reason: 'ERROR' as const,
    ruleId: undefined,
    experiment: undefined,
    errorCode,
    errorMessage,
    trace: undefined,
  });
}

/** The same result with another value and no variant (the caller's default). */
export function withDefaultValue<T>(result: EvaluationResult<unknown>, value: T): EvaluationResult<T> {
  return Object.freeze({ ...result, value, variant: undefined });
}

/** The same result with a trace attached. */
export function withTrace<T>(result: EvaluationResult<T>, trace: readonly TraceStep[]): EvaluationResult<T> {
  return Object.freeze({ ...result, trace });
}

/** A result as the evaluator produces it: without a variant, the value is filled with the caller's default later. */
export type Served = EvaluationResult<JsonValue | undefined>;
