import type { EvaluationResult, Reason } from '@vexil/core';

/** The reasons OFREP's `evaluationSuccess` allows. */
export type OfrepReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED' | 'UNKNOWN';
/** The error codes OFREP's `evaluationFailure` allows, plus `flagNotFound`'s. */
export type OfrepErrorCode =
  | 'PARSE_ERROR'
  | 'TARGETING_KEY_MISSING'
  | 'INVALID_CONTEXT'
  | 'GENERAL'
  | 'FLAG_NOT_FOUND';

/** A successful evaluation (`value` absent: the caller's code default, OFREP's `codeDefaultFlag`). */
export interface OfrepSuccess {
  readonly key: string;
  readonly reason: OfrepReason;
  readonly variant?: string;
  readonly value?: unknown;
  readonly metadata?: Readonly<Record<string, string | number | boolean>>;
}

export interface OfrepFailure {
  readonly key: string;
  readonly errorCode: OfrepErrorCode;
  readonly errorDetails?: string;
}

/**
 * Vexil's reasons in OFREP's vocabulary. OFREP has no `DEFAULT`: the default serve (no rule
 * matched) is `STATIC`; a failed prerequisite is `UNKNOWN`. The Vexil reason is then kept
 * in `metadata.vexilReason`.
 */
const REASONS: Readonly<Record<Reason, OfrepReason>> = {
  STATIC: 'STATIC',
  DEFAULT: 'STATIC',
  TARGETING_MATCH: 'TARGETING_MATCH',
  SPLIT: 'SPLIT',
  DISABLED: 'DISABLED',
  PREREQUISITE_FAILED: 'UNKNOWN',
  ERROR: 'UNKNOWN',
};

/** The status of a single-flag call: 404 for an unknown flag, 400 for another error, else 200. */
export function ofrepStatus(result: EvaluationResult): 200 | 400 | 404 {
  return result.errorCode === undefined ? 200 : result.errorCode === 'FLAG_NOT_FOUND' ? 404 : 400;
}

/** A core evaluation result as OFREP answers it: the body, and the status of a single-flag call. */
export function toOfrep(result: EvaluationResult): {
  status: 200 | 400 | 404;
  body: OfrepSuccess | OfrepFailure;
} {
  if (result.errorCode !== undefined) {
    if (result.errorCode === 'FLAG_NOT_FOUND') {
      return {
        status: 404,
        body: {
          key: result.key,
          errorCode: 'FLAG_NOT_FOUND',
          errorDetails: `flag ${JSON.stringify(result.key)} was not found`,
        },
      };
    }
    const errorCode: OfrepErrorCode =
      result.errorCode === 'PARSE_ERROR' ||
      result.errorCode === 'TARGETING_KEY_MISSING' ||
      result.errorCode === 'INVALID_CONTEXT'
        ? result.errorCode
        : 'GENERAL';
    return {
      status: 400,
      body: { key: result.key, errorCode, errorDetails: result.errorMessage ?? result.errorCode },
    };
  }
  const reason = REASONS[result.reason] ?? 'UNKNOWN';
  const metadata: Record<string, string | number | boolean> = {};
  if (reason !== result.reason) metadata.vexilReason = result.reason;
  if (result.ruleId !== undefined) metadata.ruleId = result.ruleId;
  if (result.experiment !== undefined) metadata.experiment = result.experiment;
  const body: { -readonly [K in keyof OfrepSuccess]: OfrepSuccess[K] } = { key: result.key, reason };
  if (result.variant !== undefined) {
    body.variant = result.variant;
    if (result.value !== undefined) body.value = result.value;
  }
  if (Object.keys(metadata).length > 0) body.metadata = metadata;
  return { status: 200, body };
}

const serialized = new WeakMap<EvaluationResult, string>();

/**
 * The OFREP JSON of a result, for bulk answers. The core hands out the same frozen result
 * object for the same outcome (a variant, a rule, a rollout slot), so each outcome is
 * serialized once and then reused.
 */
export function ofrepJson(result: EvaluationResult): string {
  let json = serialized.get(result);
  if (json === undefined) {
    json = JSON.stringify(toOfrep(result).body);
    if (Object.isFrozen(result)) serialized.set(result, json);
  }
  return json;
}
