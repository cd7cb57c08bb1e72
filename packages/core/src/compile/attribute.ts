import type { EvaluationContext } from '../evaluate/context.js';

/** Reads an attribute from a context; `now` is the evaluation time in epoch ms (NaN when unknown). */
export type AttributeGetter = (ctx: EvaluationContext, now: number) => unknown;

/** The attribute that stands for the evaluation time. */
export const NOW_ATTRIBUTE = '$now';

/**
 * Compiles a dotted path into a getter. `a.b.c` walks nested objects; when that finds
 * nothing, a top-level attribute literally named `a.b.c` is used, so flat contexts
 * with dotted keys work too.
 */
export function compileAttribute(path: string): AttributeGetter {
  if (path === NOW_ATTRIBUTE) return (_ctx, now) => (Number.isNaN(now) ? undefined : now);
  const parts = path.split('.');
  if (parts.length === 1) return (ctx) => ctx[path];
  return (ctx) => {
    let value: unknown = ctx;
    for (let i = 0; i < parts.length; i++) {
      if (value === null || typeof value !== 'object') return ctx[path];
      value = (value as Record<string, unknown>)[parts[i]!];
    }
    return value === undefined ? ctx[path] : value;
  };
}
