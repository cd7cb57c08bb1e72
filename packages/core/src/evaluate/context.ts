/**
 * What a flag is evaluated for. `targetingKey` identifies the subject (user, account,
 * device); any other attribute may be used by conditions and rollouts, and nested
 * objects are reached with dotted paths (`user.address.country`).
 */
export interface EvaluationContext {
  targetingKey?: string | undefined;
  [attribute: string]: unknown;
}

/** The empty context, shared. */
export const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});
