import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Vexil } from '../../services/vexil.js';

/** The Fastify instance routes are declared on: request parts typed from their zod schemas. */
export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** What route modules get. */
export interface RouteContext {
  readonly vexil: Vexil;
}

/** The admin API's path prefix. */
export const API = '/api/v1';
