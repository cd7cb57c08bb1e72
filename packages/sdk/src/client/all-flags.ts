import type { ErrorCode, FlagType, JsonValue, Reason } from '@vexil/core';

/** The format tag of an `allFlags` state. */
export const ALL_FLAGS_FORMAT = 'vexil-all-flags/1';

/** One flag's evaluated value inside an `AllFlagsState`. */
export interface FlagState {
  type: FlagType;
  value: JsonValue;
  variant?: string;
  reason: Reason;
  ruleId?: string;
  experiment?: string;
  errorCode?: ErrorCode;
}

/**
 * Every flag evaluated for one context, as plain JSON: render it into a page and pass it
 * as `bootstrap` to a browser client, which serves these values until it has its own
 * data. It holds no context attributes.
 */
export interface AllFlagsState {
  format: typeof ALL_FLAGS_FORMAT;
  /** Version of the flag data the values came from. */
  version: number;
  flags: Record<string, FlagState>;
}

/** Whether a value is an `AllFlagsState`. */
export function isAllFlagsState(value: unknown): value is AllFlagsState {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === ALL_FLAGS_FORMAT &&
    typeof (value as { flags?: unknown }).flags === 'object' &&
    (value as { flags?: unknown }).flags !== null
  );
}
