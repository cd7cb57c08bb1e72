import type { FastifyError, FastifyInstance } from 'fastify';
import { type Issue, VexilError } from '../errors/index.js';

/** Every error code Vexil answers with, and its HTTP status: the one place they are paired. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  VALIDATION_FAILED: 400,
  INVALID_FLAG_SET: 400,
  BAD_REQUEST: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  READ_ONLY: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  ALREADY_EXISTS: 409,
  IN_USE: 409,
  CHANGE_VETOED: 409,
  INVALID_STATE: 409,
  CONCURRENT_MODIFICATION: 409,
  VERSION_CONFLICT: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  QUEUE_FULL: 429,
  INTERNAL: 500,
  STORE_UNAVAILABLE: 503,
  SCHEMA_TOO_NEW: 503,
  MIGRATION_REQUIRED: 503,
};

/** The body of every error response. */
export interface ErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly issues: readonly Issue[];
    /** What the error is about, as data (an `IN_USE` table's `{ flags }`); only some errors have it. */
    readonly details?: Readonly<Record<string, unknown>>;
    readonly requestId?: string;
  };
}

/** Fastify's own client errors, by their codes. */
const FASTIFY_CODES: Readonly<Record<string, string>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'BAD_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_CTP_INVALID_JSON_BODY: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

/** Maps any thrown value to a status and an error body. */
export function toErrorResponse(error: unknown, requestId: string): { status: number; body: ErrorBody } {
  if (error instanceof VexilError) {
    const status = ERROR_STATUS[error.code] ?? 500;
    const { code, message, issues, details } = error;
    return {
      status,
      body: { error: details === undefined ? { code, message, issues } : { code, message, issues, details } },
    };
  }
  const fastifyError = error as Partial<FastifyError> & { status?: number };
  const status = fastifyError.statusCode ?? fastifyError.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = FASTIFY_CODES[fastifyError.code ?? ''] ?? (status === 400 ? 'BAD_REQUEST' : codeFor(status));
    const message = fastifyError.message ?? 'bad request';
    const issues = code === 'VALIDATION_FAILED' ? [{ path: '', message }] : [];
    return { status, body: { error: { code, message, issues } } };
  }
  return {
    status: 500,
    body: {
      error: {
        code: 'INTERNAL',
        message: 'internal error; the server log has the details',
        issues: [],
        requestId,
      },
    },
  };
}

function codeFor(status: number): string {
  const entry = Object.entries(ERROR_STATUS).find(([, s]) => s === status);
  return entry?.[0] ?? 'BAD_REQUEST';
}

/** Answers every error, and unknown routes, with `{ error: { code, message, issues } }`. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const { status, body } = toErrorResponse(error, request.id);
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: {
        code: 'NOT_FOUND',
        message: `no route ${request.method} ${request.url.split('?')[0]}`,
        issues: [],
      },
    };
    return reply.status(404).send(body);
  });
}
