import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, ReadOnlyError, UnauthenticatedError } from '../errors/index.js';
import type { Vexil } from '../services/vexil.js';
import type { ApiKeyKind, ApiKeyRecord } from '../stores/types.js';

/**
 * Who may call a route: `public` (no key), `admin` (admin keys), `sdk` (server and client
 * keys, scoped to their environment), `any` (any valid key).
 */
export type Access = 'public' | 'admin' | 'sdk' | 'any';

const ALLOWED: Readonly<Record<Exclude<Access, 'public'>, readonly ApiKeyKind[]>> = {
  admin: ['admin'],
  sdk: ['server', 'client'],
  any: ['admin', 'server', 'client'],
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route (default `admin`). */
    access?: Access;
    /** The key may also come in `X-API-Key` (OFREP's `ApiKeyAuth`), not only `Authorization: Bearer`. */
    apiKeyHeader?: boolean;
  }
  interface FastifyRequest {
    /** The caller's API key, on routes that need one. */
    apiKey: ApiKeyRecord | undefined;
  }
}

/** The bearer token in a request's `Authorization` header, if any. */
function bearerIn(headers: IncomingHttpHeaders): string | undefined {
  const header = headers.authorization;
  if (typeof header !== 'string') return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The key in a request's `X-API-Key` header, if any (surrounding spaces ignored). */
function apiKeyIn(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  if (typeof header !== 'string') return undefined;
  return /^\s*(\S+)\s*$/.exec(header)?.[1];
}

/**
 * The key a request presents: its bearer token or, on routes that allow it, its `X-API-Key`.
 * Both at once must name the same key: two different keys would make the answer (which
 * environment, which scope) depend on a precedence the caller cannot see, so that is a 401.
 * @throws UnauthenticatedError for two different keys
 */
export function presentedKey(headers: IncomingHttpHeaders, apiKeyHeader: boolean): string | undefined {
  const bearer = bearerIn(headers);
  if (!apiKeyHeader) return bearer;
  const header = apiKeyIn(headers);
  if (bearer !== undefined && header !== undefined && bearer !== header)
    throw new UnauthenticatedError('Authorization and X-API-Key carry different keys; send one key');
  return bearer ?? header;
}

/**
 * Checks every request against its route's `config.access`: 401 without a valid key
 * (missing, unknown, revoked, expired), 403 for a key of the wrong kind, and 403
 * `READ_ONLY` for the admin API on a read-only server. A key the key service has checked
 * lately is answered without waiting for anything (no promise per request).
 */
export function installAccessControl(app: FastifyInstance, vexil: Vexil, readOnly: boolean): void {
  app.decorateRequest('apiKey', undefined);
  app.addHook('onRequest', (request, _reply, done) => {
    const { config, url } = request.routeOptions;
    const access = config.access ?? (url === undefined ? 'public' : 'admin');
    if (access === 'public') return done();
    if (readOnly && access === 'admin') return done(new ReadOnlyError());
    let token: string | undefined;
    try {
      token = presentedKey(request.headers, config.apiKeyHeader === true);
    } catch (error) {
      return done(error as Error);
    }
    if (token === undefined) return done(new UnauthenticatedError());
    const known = vexil.keys.authenticateCached(token);
    if (known !== undefined) return admit(request, access, known, done);
    vexil.keys.authenticate(token).then(
      (key) => admit(request, access, key ?? null, done),
      (error: Error) => done(error),
    );
  });
}

function admit(
  request: FastifyRequest,
  access: Exclude<Access, 'public'>,
  key: ApiKeyRecord | null,
  done: (error?: Error) => void,
): void {
  if (key === null) done(new UnauthenticatedError('the API key is unknown, revoked or expired'));
  else if (!ALLOWED[access].includes(key.kind))
    done(new ForbiddenError(`this route needs ${describe(access)}; this is a ${key.kind} key`));
  else {
    request.apiKey = key;
    done();
  }
}

function describe(access: Exclude<Access, 'public'>): string {
  return access === 'admin' ? 'an admin key' : access === 'sdk' ? 'a server or client key' : 'an API key';
}

/** Who the audit log names for this request: the key, and the person an admin key acts for. */
export function actorOf(request: FastifyRequest): string {
  const key = request.apiKey;
  if (key === undefined) return 'anonymous';
  const onBehalf = request.headers['x-vexil-actor'];
  const keyName = `${key.id} (${key.name})`;
  return typeof onBehalf === 'string' && onBehalf.length > 0 && onBehalf.length <= 200
    ? `${onBehalf} via ${keyName}`
    : keyName;
}
