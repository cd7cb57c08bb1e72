import type { Context } from '../client/context.js';
import type { VexilClient } from '../client/types.js';

/** Options of `withFlag`. */
export interface WithFlagOptions<Args extends unknown[]> {
  /** The context to evaluate the flag for, from the call's arguments (default: the client's default context). */
  context?: (...args: Args) => Context | undefined;
}

/**
 * Wraps `fn` so it runs only while the boolean flag `key` is on; otherwise `fallback`
 * runs (or `undefined` is returned). Flipper's decorator, as a higher-order function.
 * @example
 * const checkout = withFlag(client, 'new-checkout', newCheckout, oldCheckout, { context: (req) => ({ targetingKey: req.user.id }) });
 */
export function withFlag<Args extends unknown[], R, F = undefined>(
  client: Pick<VexilClient, 'getBoolean'>,
  key: string,
  fn: (...args: Args) => R,
  fallback?: (...args: Args) => F,
  options: WithFlagOptions<Args> = {},
): (...args: Args) => R | F {
  return (...args: Args) => {
    const context = options.context?.(...args);
    if (client.getBoolean(key, false, context)) return fn(...args);
    return fallback === undefined ? (undefined as F) : fallback(...args);
  };
}
