import type { EvaluationContext } from '@vexil/core';

/** A request OFREP refuses: 400 with this code and details. */
export class OfrepRequestError extends Error {
  constructor(
    readonly errorCode: 'PARSE_ERROR' | 'INVALID_CONTEXT',
    message: string,
  ) {
    super(message);
    this.name = 'OfrepRequestError';
  }
}

/**
 * The evaluation context of an OFREP request body (`{ "context": { … } }`).
 * `context` must be an object and `targetingKey`, when given, a string. A context without
 * a `targetingKey` is accepted (browsers start anonymous); flags that need one answer
 * `TARGETING_KEY_MISSING`.
 * @throws OfrepRequestError
 */
export function contextOf(body: unknown): EvaluationContext {
  if (body === undefined || body === null)
    throw new OfrepRequestError('INVALID_CONTEXT', 'the body must be {"context": {…}}');
  if (typeof body !== 'object' || Array.isArray(body))
    throw new OfrepRequestError('INVALID_CONTEXT', 'the body must be a JSON object: {"context": {…}}');
  const context = (body as { context?: unknown }).context;
  if (context === undefined) throw new OfrepRequestError('INVALID_CONTEXT', 'context is required');
  if (context === null || typeof context !== 'object' || Array.isArray(context))
    throw new OfrepRequestError('INVALID_CONTEXT', 'context must be an object');
  const targetingKey = (context as { targetingKey?: unknown }).targetingKey;
  if (targetingKey !== undefined && typeof targetingKey !== 'string')
    throw new OfrepRequestError(
      'INVALID_CONTEXT',
      `context.targetingKey must be a string, got ${typeName(targetingKey)}`,
    );
  return context as EvaluationContext;
}

function typeName(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}
