import type { EvaluationContext } from '../evaluate/context.js';

/**
 * The time of an evaluation, in epoch ms (NaN when unknown). Passed by reference: a time
 * handed as a number to a call that isn't inlined would be boxed on the heap each time.
 */
export interface Clock {
  readonly now: number;
}

/** Reads an attribute from a context; `$now` reads the clock. */
export type AttributeGetter = (ctx: EvaluationContext, clock: Clock) => unknown;

/** The attribute that stands for the evaluation time. */
export const NOW_ATTRIBUTE = '$now';

/**
 * Compiles a dotted path into a getter. `a.b.c` walks nested objects; when that finds
 * nothing, a top-level attribute literally named `a.b.c` is used, so flat contexts
 * with dotted keys work too.
 */
export function compileAttribute(path: string): AttributeGetter {
  if (path === NOW_ATTRIBUTE) return (_ctx, clock) => (Number.isNaN(clock.now) ? undefined : clock.now);
  const parts = path.split('.');
  if (parts.length === 1) return isInherited(path) ? (ctx) => readOwn(ctx, path) : (ctx) => ctx[path];
  return (ctx) => {
    let value: unknown = ctx;
    for (let i = 0; i < parts.length; i++) {
      if (value === null || typeof value !== 'object') return readOwn(ctx, path);
      value = readOwn(value as Record<string, unknown>, parts[i]!);
    }
    return value === undefined ? readOwn(ctx, path) : value;
  };
}

/**
 * Whether every object has this name through its prototype (`constructor`, `toString`,
 * `__proto__` …). Such names are read as own properties only, or `exists constructor`
 * would hold for every context.
 */
export function isInherited(name: string): boolean {
  return name in Object.prototype;
}

function readOwn(obj: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(obj, name) ? obj[name] : undefined;
}
