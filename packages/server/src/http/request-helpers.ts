import type { FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError } from '../errors/index.js';
import type { WriteOptions } from '../services/context.js';
import { DEFAULT_LIMIT } from '../services/lookups.js';
import type { ListResult } from '../stores/types.js';
import { actorOf } from './access.js';

/** The version an `If-Match` header asks for (`"3"`, `W/"3"` or `3`); undefined for none or `*`. */
export function ifMatch(request: FastifyRequest): number | undefined {
  const header = request.headers['if-match'];
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d{1,15})"?\s*$/.exec(header);
  if (match === null) {
    throw new ValidationError([
      {
        path: 'headers.if-match',
        message: `expected a version like "3" (as the ETag header gives it), got ${JSON.stringify(header)}`,
      },
    ]);
  }
  return Number(match[1]);
}

/**
 * Write options for a PUT that creates or replaces: `If-None-Match: *` creates only,
 * `If-Match: "<version>"` replaces that version only, `If-Match: *` replaces any version
 * only (both fail with 412). Sending both headers, or `If-None-Match` with a tag, is a 400.
 */
export function putOptions(request: FastifyRequest): WriteOptions {
  const actor = actorOf(request);
  const none = request.headers['if-none-match'];
  if (none === undefined) {
    if (request.headers['if-match']?.trim() === '*') return { actor, exists: true };
    return { actor, expectedVersion: ifMatch(request) };
  }
  const problem =
    none.trim() !== '*'
      ? `only "*" (create only if there is none) is understood here, got ${JSON.stringify(none)}`
      : request.headers['if-match'] !== undefined
        ? 'send If-Match (replace) or If-None-Match (create), not both'
        : undefined;
  if (problem !== undefined) throw new ValidationError([{ path: 'headers.if-none-match', message: problem }]);
  return { actor, exists: false };
}

/** Write options for a request: its actor, and the version `If-Match` names. */
export function writeOptions(request: FastifyRequest, withVersion = false): WriteOptions {
  const actor = actorOf(request);
  return withVersion ? { actor, expectedVersion: ifMatch(request) } : { actor };
}

/** Sets `ETag: "<version>"`; answers 304 when `If-None-Match` already has it. */
export function withETag<T>(
  request: FastifyRequest,
  reply: FastifyReply,
  version: number,
  body: T,
): T | undefined {
  const tag = `"${version}"`;
  reply.header('etag', tag);
  const none = request.headers['if-none-match'];
  if (none?.split(',').some((t) => t.trim().replace(/^W\//, '') === tag)) {
    reply.status(304);
    return undefined;
  }
  return body;
}

/** A list result with the paging that produced it. */
export function paged<T, U>(
  result: ListResult<T>,
  query: { limit?: number | undefined; offset?: number | undefined },
  map: (item: T) => U,
) {
  return {
    items: result.items.map(map),
    total: result.total,
    limit: Math.min(query.limit ?? DEFAULT_LIMIT, 1000),
    offset: query.offset ?? 0,
  };
}
