import type { EvaluationContext } from '@vexil/core';

/**
 * A context as the SDK takes it: core's `EvaluationContext` (a `targetingKey` plus any
 * attributes) with an optional list of attributes that must never leave the process.
 * Only the context's key is ever sent (in events); when `targetingKey` itself is private,
 * a one-way hash of it is sent instead.
 */
export interface Context extends EvaluationContext {
  privateAttributes?: readonly string[] | undefined;
}

const EMPTY: Context = Object.freeze({});

/** The empty context. */
export function emptyContext(): Context {
  return EMPTY;
}

/** The client's default context laid under a per-call context (call attributes win). */
export function mergeContexts(base: Context, call: Context | undefined): Context {
  if (call === undefined || call === null) return base;
  if (base === EMPTY) return call;
  const merged: Context = { ...base, ...call };
  if (base.privateAttributes !== undefined && call.privateAttributes !== undefined) {
    merged.privateAttributes = [...new Set([...base.privateAttributes, ...call.privateAttributes])];
  }
  return merged;
}

/** The context's key, when it has a usable one. */
export function contextKeyOf(context: Context): string | undefined {
  const key = context.targetingKey;
  return typeof key === 'string' && key.length > 0 ? key : undefined;
}

/** Whether an attribute is private, for the context or for the whole client. */
export function isPrivate(context: Context, attribute: string, clientPrivate: readonly string[]): boolean {
  return clientPrivate.includes(attribute) || context.privateAttributes?.includes(attribute) === true;
}
