import {
  type ErrorCode,
  type EvaluateOptions,
  type EvaluationResult,
  evaluate,
  evaluateAll,
  type FlagType,
  type JsonValue,
} from '@vexil/core';
import { ALL_FLAGS_FORMAT, type AllFlagsState, type FlagState } from './all-flags.js';
import type { Context } from './context.js';
import type { Held } from './flag-store.js';
import type { AllFlagsOptions, EvaluationDetails } from './types.js';

// One options object per type, shared: no allocation per evaluation on the hot path. The
// caller's default is filled in afterwards, only when no variant was served.
const TYPED: Readonly<Record<FlagType, EvaluateOptions<never>>> = Object.freeze({
  boolean: Object.freeze({ type: 'boolean' }),
  string: Object.freeze({ type: 'string' }),
  number: Object.freeze({ type: 'number' }),
  json: Object.freeze({ type: 'json' }),
});

const BOOLEAN = TYPED.boolean;

/** Evaluates one flag against whatever the store holds. Never throws. */
export function evaluateHeld<T>(
  held: Held,
  key: string,
  defaultValue: T,
  type: FlagType,
  context: Context,
): EvaluationResult<T> {
  if (held.kind === 'flags') {
    const options =
      held.clock === false ? (type === 'boolean' ? BOOLEAN : TYPED[type]) : { type, now: Date.now() };
    const result = evaluate(held.flagSet, key, context, options) as EvaluationResult<T>;
    return result.variant === undefined ? { ...result, value: defaultValue } : result;
  }
  if (held.kind === 'values') return fromState(held.state, key, defaultValue, type);
  return failure(key, defaultValue, 'PROVIDER_NOT_READY', 'no flag data yet: the client is not ready');
}

/** A result carrying the caller's default and an error. */
export function failure<T>(
  key: string,
  value: T,
  errorCode: ErrorCode,
  errorMessage: string,
): EvaluationResult<T> {
  return {
    key,
    value,
    variant: undefined,
    reason: 'ERROR',
    ruleId: undefined,
    experiment: undefined,
    errorCode,
    errorMessage,
    trace: undefined,
  };
}

function fromState<T>(
  state: AllFlagsState,
  key: string,
  defaultValue: T,
  type: FlagType,
): EvaluationResult<T> {
  const flag = Object.hasOwn(state.flags, key) ? state.flags[key] : undefined;
  if (flag === undefined)
    return failure(key, defaultValue, 'FLAG_NOT_FOUND', `flag ${JSON.stringify(key)} not found`);
  if (flag.type !== type) {
    return failure(
      key,
      defaultValue,
      'TYPE_MISMATCH',
      `flag ${JSON.stringify(key)} is a ${flag.type} flag, not ${type}`,
    );
  }
  if (flag.errorCode !== undefined) {
    return failure(
      key,
      defaultValue,
      flag.errorCode,
      `flag ${JSON.stringify(key)} had an error when the state was made`,
    );
  }
  return {
    key,
    value: flag.variant === undefined ? defaultValue : (flag.value as T),
    variant: flag.variant,
    reason: flag.reason,
    ruleId: flag.ruleId,
    experiment: flag.experiment,
    errorCode: undefined,
    errorMessage: undefined,
    trace: undefined,
  };
}

/** An evaluation result as `getDetails` returns it. */
export function toDetails<T>(result: EvaluationResult<T>, held: Held): EvaluationDetails<T> {
  const details: EvaluationDetails<T> = { key: result.key, value: result.value, reason: result.reason };
  if (result.variant !== undefined) details.variant = result.variant;
  if (result.errorCode !== undefined) details.errorCode = result.errorCode;
  if (result.errorMessage !== undefined) details.errorMessage = result.errorMessage;
  if (result.ruleId !== undefined) details.ruleId = result.ruleId;
  if (result.experiment !== undefined) details.experiment = result.experiment;
  if (held.kind === 'flags') {
    const metadata = held.flagSet.definition.flags[result.key]?.metadata;
    if (metadata !== undefined) details.metadata = metadata;
  }
  return details;
}

/** Every flag evaluated for a context, as a serialisable state (no context attributes in it). */
export function allFlagsState(
  held: Held,
  context: Context,
  options: AllFlagsOptions | undefined,
): AllFlagsState {
  const flags: Record<string, FlagState> = {};
  if (held.kind === 'values') {
    return { format: ALL_FLAGS_FORMAT, version: held.version, flags: { ...held.state.flags } };
  }
  if (held.kind === 'flags') {
    const definitions = held.flagSet.definition.flags;
    const results = evaluateAll(held.flagSet, context, {
      clientVisibleOnly: options?.clientVisibleOnly === true,
      ...(held.clock ? { now: Date.now() } : {}),
    });
    for (const result of results) {
      const key = result.key;
      const state: FlagState = {
        type: definitions[key]!.type,
        value: (result.value ?? null) as JsonValue,
        reason: result.reason,
      };
      if (result.variant !== undefined) state.variant = result.variant;
      if (result.ruleId !== undefined) state.ruleId = result.ruleId;
      if (result.experiment !== undefined) state.experiment = result.experiment;
      if (result.errorCode !== undefined) state.errorCode = result.errorCode;
      flags[key] = state;
    }
  }
  return { format: ALL_FLAGS_FORMAT, version: held.version, flags };
}
