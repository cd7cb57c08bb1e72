import { z } from 'zod';
import { API, type App } from './app-type.js';
import { type DeliveryRouteContext, sdkTarget } from './sdk-context.js';

const ErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** `GET /api/v1/sdk/stream`: Server-Sent Events — the snapshot, then one patch per change. */
export function sdkStreamRoutes(app: App, { delivery }: DeliveryRouteContext): void {
  const { snapshots, streams } = delivery;
  app.get(
    `${API}/sdk/stream`,
    {
      config: { access: 'sdk' },
      schema: {
        tags: ['sdk'],
        summary: "Server-Sent Events: the key's flag set, then a patch per committed change",
        description:
          'Events: `snapshot` (id = version, data = the flag set), `patch` (id = version, data = ' +
          '`{ version, previousVersion, flags: { key: flag | null }, segments: { key: segment | null } }`), ' +
          '`heartbeat` every 15 s (data = `{ version }`). With `Last-Event-ID: <version>` the stream ' +
          'resumes with the patches after it when the server still holds them, else it starts with a ' +
          'snapshot. Client keys see client-visible flags only; a flag that stops being visible ' +
          'arrives as `null`. The stream closes when its key is revoked or expires.',
        headers: z.object({ 'last-event-id': z.string().optional() }).passthrough(),
        response: {
          200: z.string().describe('text/event-stream'),
          401: ErrorBody,
          403: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const { key, project, environment, scope } = sdkTarget(request);
      await snapshots.load(project, environment, scope);
      const header = request.headers['last-event-id'];
      const lastEventId =
        typeof header === 'string' && /^\d{1,15}$/.test(header.trim()) ? Number(header) : undefined;
      reply.hijack();
      streams.open(
        request.raw,
        reply.raw,
        { kind: 'sdk', project, environment, scope, keyId: key.id, keyExpiresAt: key.expiresAt, lastEventId },
        { 'x-request-id': request.id },
      );
    },
  );
}
