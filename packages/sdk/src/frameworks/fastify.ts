import type { ScopedEvaluator } from '../client/types.js';
import { defineEvaluator, type RequestEvaluatorOptions } from './request-context.js';

/** The part of a fastify instance the plugin uses (so the SDK needs no fastify at runtime). */
export interface FastifyInstanceLike {
  decorateRequest(property: string, value: unknown): unknown;
  addHook(name: 'onRequest', hook: (request: object, reply: unknown, done: () => void) => void): unknown;
}

/** Options of the fastify plugin. */
export type VexilFastifyOptions = RequestEvaluatorOptions<never>;

/**
 * A fastify plugin that puts a per-request evaluator on `request.flags` (or `property`).
 * It is not encapsulated (like `fastify-plugin`), so every route sees the decoration.
 * For types, add `declare module 'fastify' { interface FastifyRequest { flags: ScopedEvaluator } }`.
 * @example
 * app.register(vexilFastify, { client, context: (req) => ({ targetingKey: req.user?.id }) });
 * app.get('/', (req) => (req.flags.getBoolean('new-home', false) ? renderNew() : renderOld()));
 */
export function vexilFastify(
  fastify: FastifyInstanceLike,
  options: VexilFastifyOptions,
  done: (error?: Error) => void,
) {
  const property = options.property ?? 'flags';
  fastify.decorateRequest(property, null);
  fastify.addHook('onRequest', (request, _reply, next) => {
    defineEvaluator(request, options as RequestEvaluatorOptions<object>);
    next();
  });
  done();
}

// What `fastify-plugin` would set: no encapsulation, and a name in fastify's plugin tree.
Object.assign(vexilFastify, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'vexil',
});

export type { ScopedEvaluator };
