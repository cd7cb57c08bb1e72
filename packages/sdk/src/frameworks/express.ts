import type { ScopedEvaluator } from '../client/types.js';
import { defineEvaluator, type RequestEvaluatorOptions } from './request-context.js';

/** Options of the Express middleware. */
export type VexilExpressOptions<Request extends object = object> = RequestEvaluatorOptions<Request>;

/**
 * Express (or any `(req, res, next)` framework) middleware that puts a per-request
 * evaluator on `req.flags` (or `property`).
 * @example
 * app.use(vexilMiddleware({ client, context: (req) => ({ targetingKey: req.user?.id }) }));
 * app.get('/', (req, res) => res.send(req.flags.getBoolean('new-home', false) ? 'new' : 'old'));
 */
export function vexilMiddleware<Request extends object = object>(options: VexilExpressOptions<Request>) {
  return (request: Request, _response: unknown, next: () => void): void => {
    defineEvaluator(request, options);
    next();
  };
}

export type { ScopedEvaluator };
