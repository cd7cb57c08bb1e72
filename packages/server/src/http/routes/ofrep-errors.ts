import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { SDK_CORS_HEADERS } from '../../delivery/delivery.js';
import { OfrepRequestError } from '../../ofrep/ofrep-request.js';
import { toErrorResponse } from '../errors.js';

/**
 * Errors of OFREP routes in OFREP's shape: 401 and 403 without a body; a bad request is
 * 400 `{ key?, errorCode, errorDetails }`; anything unexpected 500 `{ errorDetails }`.
 */
export function ofrepErrorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  reply.headers(SDK_CORS_HEADERS);
  const key = (request.params as { key?: unknown } | undefined)?.key;
  const withKey = typeof key === 'string' ? { key } : {};
  if (error instanceof OfrepRequestError) {
    return reply.code(400).send({ ...withKey, errorCode: error.errorCode, errorDetails: error.message });
  }
  const { status, body } = toErrorResponse(error, request.id);
  if (status === 401 || status === 403) return reply.code(status).send();
  if (status === 429) return reply.code(429).send();
  if (status >= 500) {
    request.log.error({ err: error }, 'OFREP evaluation failed');
    return reply
      .code(500)
      .send({ errorDetails: `internal error; the server log has the details (request ${request.id})` });
  }
  const errorCode = body.error.code === 'VALIDATION_FAILED' ? 'PARSE_ERROR' : 'INVALID_CONTEXT';
  return reply.code(status === 413 || status === 415 ? status : 400).send({
    ...withKey,
    errorCode,
    errorDetails: body.error.message,
  });
}
