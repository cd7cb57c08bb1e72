import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { NotFoundError } from '../../errors/index.js';
import type { App } from './app-type.js';
import { ofrepErrorHandler } from './ofrep-errors.js';
import type { DeliveryRouteContext } from './sdk-context.js';

/**
 * OFREP's change notifications (ADR-0008): the SSE endpoint that bulk answers name in
 * `eventStreams`. Each change visible to the key sends `event: message` with
 * `{"type":"refetchEvaluation","etag","lastModified"}`. The URL's token stands for the key
 * (browsers' EventSource sends no headers).
 */
export function ofrepEventRoutes(app: App, { vexil, delivery }: DeliveryRouteContext): void {
  const { snapshots, streams, streamTokens } = delivery;
  app.get(
    '/ofrep/v1/events',
    {
      config: { access: 'public' },
      errorHandler: ofrepErrorHandler,
      schema: {
        tags: ['OFREP'],
        summary: 'Change notifications for OFREP providers (Server-Sent Events)',
        description:
          'Open the URL a bulk evaluation answer gives in `eventStreams`; its `token` stands for the API key. ' +
          '401 when the token is invalid or expired, or its key no longer works.',
        security: [],
        querystring: z.object({ token: z.string().max(1024) }),
        response: { 200: z.string().describe('text/event-stream'), 401: z.null().describe('no body') },
      },
    },
    async (request, reply) => {
      const grant = streamTokens.check((request.query as { token: string }).token);
      const key =
        grant === undefined
          ? undefined
          : await vexil.keys.get(grant.keyId).catch((error: unknown) => {
              if (error instanceof NotFoundError) return undefined;
              throw error;
            });
      if (
        key === undefined ||
        key.status !== 'active' ||
        key.kind === 'admin' ||
        key.project === null ||
        key.environment === null
      ) {
        return (reply as unknown as FastifyReply).code(401).send();
      }
      const scope = key.kind === 'client' ? 'client' : 'server';
      await snapshots.load(key.project, key.environment, scope);
      const header = request.headers['last-event-id'];
      const lastEventId =
        typeof header === 'string' && /^\d{1,15}$/.test(header.trim()) ? Number(header) : undefined;
      const expiry = new Date(grant!.expiresAt).toISOString();
      reply.hijack();
      streams.open(
        request.raw,
        reply.raw,
        {
          kind: 'ofrep',
          project: key.project,
          environment: key.environment,
          scope,
          keyId: key.id,
          keyExpiresAt: key.expiresAt !== null && key.expiresAt < expiry ? key.expiresAt : expiry,
          lastEventId,
        },
        { 'x-request-id': request.id },
      );
    },
  );
}
