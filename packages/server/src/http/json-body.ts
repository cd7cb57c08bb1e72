import type { FastifyRequest } from 'fastify';
import { ValidationError } from '../errors/index.js';

/** Deepest nesting a request body may have: deeper documents are refused before validation recurses into them. */
export const MAX_DEPTH = 64;

type Done = (error: Error | null, value: unknown) => void;
/** Fastify's JSON parser (`getDefaultJsonParser`): JSON.parse, refusing `__proto__` and `constructor` keys. */
type SecureParser = (request: FastifyRequest, body: string, done: Done) => void;

/**
 * The `application/json` body parser: an empty (or blank) body is no body; anything else
 * is parsed by `secure` — fastify's own parser, which refuses prototype poisoning — and
 * refused when it nests deeper than `MAX_DEPTH`.
 *
 * Most bodies (SDK contexts, admin edits) have no backslash and mention neither
 * `__proto__` nor `constructor`: `secure` would find nothing to refuse in them (a key can
 * only spell either name with those very characters or with an escape), so they go
 * straight to `JSON.parse`. A body that fails to parse goes to `secure` too, for fastify's
 * error. Likewise the depth is only walked when the body has more brackets than the limit.
 */
export function jsonBodyParser(secure: SecureParser): SecureParser {
  return (request, body, done) => {
    if (isBlank(body)) return done(null, undefined);
    if (!plain(body)) return secure(request, body, (error, value) => finish(body, error, value, done));
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return secure(request, body, (error, parsed) => finish(body, error, parsed, done));
    }
    return finish(body, null, value, done);
  };
}

function finish(body: string, error: Error | null, value: unknown, done: Done): void {
  if (error) done(error, undefined);
  else if (brackets(body) > MAX_DEPTH && tooDeep(value, MAX_DEPTH)) done(tooDeepError(), undefined);
  else done(null, value);
}

/** The error for a body nested deeper than `MAX_DEPTH`. */
export function tooDeepError(): ValidationError {
  return new ValidationError([{ path: '', message: `the body nests deeper than ${MAX_DEPTH} levels` }]);
}

/** `body.trim() === ''`, without trimming bodies that start with a printable character. */
function isBlank(body: string): boolean {
  if (body === '') return true;
  const first = body.charCodeAt(0);
  if (first > 0x20 && first < 0x7f) return false;
  return body.trim() === '';
}

/** No escape, no `__proto__`, no `constructor`: nothing the secure parser could refuse. */
function plain(body: string): boolean {
  return body.indexOf('\\') === -1 && body.indexOf('__proto__') === -1 && body.indexOf('constructor') === -1;
}

/** How many `{` and `[` the text has (stops counting past the limit): nesting can't exceed it. */
function brackets(text: string): number {
  if (text.length <= MAX_DEPTH) return 0;
  let count = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 0x7b || c === 0x5b) && ++count > MAX_DEPTH) return count;
  }
  return count;
}

/** Whether objects and arrays nest deeper than `limit` (checked without recursion). */
export function tooDeep(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.value === null || typeof top.value !== 'object') continue;
    if (top.depth >= limit) return true;
    for (const child of Object.values(top.value)) stack.push({ value: child, depth: top.depth + 1 });
  }
  return false;
}
