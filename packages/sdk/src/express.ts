/** @vexil/sdk/express — a per-request evaluator on Express requests. No express dependency. */
export { type ScopedEvaluator, type VexilExpressOptions, vexilMiddleware } from './frameworks/express.js';
