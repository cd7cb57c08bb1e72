import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SDK_CORS_HEADERS } from '../../delivery/delivery.js';
import { OfrepRequestError } from '../../ofrep/ofrep-request.js';
import { toErrorResponse } from '../errors.js';

/** How an OFREP route answers an error: a status, a body (none for 401, 403 and 429). */
export interface OfrepErrorAnswer {
  readonly status: number;
  readonly body: object | undefined;
  /** Unexpected (5xx): the server log gets the error. */
  readonly internal: boolean;
}

/**
 * Errors of OFREP routes in OFREP's shape: 401 and 403 without a body; a bad request is
 * 400 `{ key?, errorCode, errorDetails }`; anything unexpected 500 `{ errorDetails }`.
 */
export function ofrepErrorAnswer(error: unknown, key: unknown, requestId: string): OfrepErrorAnswer {
  const withKey = typeof key === 'string' ? { key } : {};
  if (error instanceof OfrepRequestError) {
    return {
      status: 400,
      body: { ...withKey, errorCode: error.errorCode, errorDetails: error.message },
      internal: false,
    };
  }
  const { status, body } = toErrorResponse(error, requestId);
  if (status === 401 || status === 403 || status === 429) return { status, body: undefined, internal: false };
  if (status >= 500) {
    return {
      status: 500,
      body: { errorDetails: `internal error; the server log has the details (request ${requestId})` },
      internal: true,
    };
  }
  const errorCode = body.error.code === 'VALIDATION_FAILED' ? 'PARSE_ERROR' : 'INVALID_CONTEXT';
  return {
    status: status === 413 || status === 415 ? status : 400,
    body: { ...withKey, errorCode, errorDetails: body.error.message },
    internal: false,
  };
}

/** The OFREP routes' fastify error handler (see `ofrepErrorAnswer`). */
export function ofrepErrorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  reply.headers(SDK_CORS_HEADERS);
  const answer = ofrepErrorAnswer(error, (request.params as { key?: unknown } | undefined)?.key, request.id);
  if (answer.internal) request.log.error({ err: error }, 'OFREP evaluation failed');
  return reply.code(answer.status).send(answer.body);
}
