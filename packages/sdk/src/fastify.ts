/** @vexil/sdk/fastify — a per-request evaluator on fastify requests. No fastify dependency. */
export {
  type FastifyInstanceLike,
  type ScopedEvaluator,
  type VexilFastifyOptions,
  vexilFastify,
} from './frameworks/fastify.js';
