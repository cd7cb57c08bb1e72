import type { Operator } from '../schema/operators.js';

/** How one condition came out, in a trace. */
export interface ConditionTrace {
  readonly attribute?: string | undefined;
  readonly op: Operator;
  readonly values: readonly (string | number | boolean)[];
  readonly negate: boolean;
  /** The context value the condition looked at. */
  readonly actual: unknown;
  readonly result: boolean;
}

/** One step of the resolution order, in a trace. */
export interface TraceStep {
  readonly step:
    | 'flag'
    | 'disabled'
    | 'prerequisite'
    | 'target'
    | 'override'
    | 'experiment'
    | 'rule'
    | 'default';
  /** Whether this step decided the result. */
  readonly matched: boolean;
  /** A sentence saying what happened. */
  readonly detail: string;
  /** Rule id, segment key, prerequisite flag or experiment key, where there is one. */
  readonly id?: string | undefined;
  readonly conditions?: readonly ConditionTrace[] | undefined;
}
