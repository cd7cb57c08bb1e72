import type { Context } from '../client/context.js';
import type { ScopedEvaluator, VexilClient } from '../client/types.js';

/** Options shared by the fastify plugin and the Express middleware. */
export interface RequestEvaluatorOptions<Request> {
  client: VexilClient;
  /**
   * The context of a request (its user, account, country …). Called the first time the
   * handler reads the evaluator, so authentication hooks have run by then.
   */
  context?: (request: Request) => Context | undefined;
  /** The request property to put the evaluator on (default `flags`). */
  property?: string;
}

/** Defines a lazy, per-request evaluator property on `request`. */
export function defineEvaluator<Request extends object>(
  request: Request,
  options: RequestEvaluatorOptions<Request>,
): void {
  let evaluator: ScopedEvaluator | undefined;
  Object.defineProperty(request, options.property ?? 'flags', {
    configurable: true,
    enumerable: false,
    get: () => {
      evaluator ??= options.client.forContext(options.context?.(request) ?? {});
      return evaluator;
    },
  });
}
