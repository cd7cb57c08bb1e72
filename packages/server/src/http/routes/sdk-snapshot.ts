import { FlagSetSchema } from '@vexil/core';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { SDK_CORS_HEADERS } from '../../delivery/delivery.js';
import { etagMatches, negotiateEncoding } from '../../delivery/http-helpers.js';
import { API, type App } from './app-type.js';
import { type DeliveryRouteContext, sdkTarget } from './sdk-context.js';

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/**
 * `GET /api/v1/sdk/snapshot`: the key's environment and scope from memory — the body is
 * serialized and compressed once per version, never per request.
 */
export function sdkSnapshotRoutes(app: App, { delivery }: DeliveryRouteContext): void {
  const { snapshots } = delivery;
  app.get(
    `${API}/sdk/snapshot`,
    {
      config: { access: 'sdk' },
      // The query is read as it comes (only `signed=true` means anything): no validation on the hot path.
      validatorCompiler: () => (data) => ({ value: data }),
      schema: {
        tags: ['sdk'],
        summary: "The flag set of the key's environment (client keys: client-visible flags only)",
        description:
          '`ETag: "<scope>-<version>"`; `If-None-Match` with it answers 304. Compressed (br, gzip) when ' +
          '`Accept-Encoding` allows. `X-Vexil-Version` carries the version. Server or client key. ' +
          'With `?signed=true`, the signed envelope (`vexil-signed-flagset/1`) instead, e.g. for a bootstrap ' +
          'file or a CDN; check it with `verifySignedFlagSet` from @vexil/core and the keys of ' +
          '`/api/v1/sdk/signing-keys`.',
        querystring: z.object({ signed: z.enum(['true', 'false']).optional() }),
        response: {
          200: FlagSetSchema,
          304: z.null().describe('not modified'),
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, typedReply) => {
      const reply = typedReply as unknown as FastifyReply; // sends Buffers, not the documented objects
      const { project, environment, scope } = sdkTarget(request);
      const snapshot =
        snapshots.get(project, environment, scope) ?? (await snapshots.load(project, environment, scope));
      reply.headers({
        ...SDK_CORS_HEADERS,
        etag: snapshot.etag,
        'x-vexil-version': String(snapshot.version),
        'cache-control': 'no-cache',
        vary: 'Accept-Encoding, Authorization',
      });
      if ((request.query as { signed?: string }).signed === 'true') {
        const etag = `"${snapshot.scope}-${snapshot.version}-signed"`;
        reply.header('etag', etag);
        if (etagMatches(request.headers['if-none-match'], etag)) return reply.code(304).send();
        return reply.type('application/json').send(snapshot.envelope);
      }
      if (etagMatches(request.headers['if-none-match'], snapshot.etag)) return reply.code(304).send();
      const encoding = negotiateEncoding(request.headers['accept-encoding']);
      reply.type('application/json');
      if (encoding === undefined) return reply.send(snapshot.body);
      const body = snapshot.encoded(encoding) ?? (await snapshot.encode(encoding));
      return reply.header('content-encoding', encoding).send(body);
    },
  );
}
