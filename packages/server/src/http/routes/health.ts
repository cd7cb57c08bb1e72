import { z } from 'zod';
import type { Delivery } from '../../delivery/delivery.js';
import type { PublishStatus } from '../../publishing/publisher.js';
import type { App, RouteContext } from './app-type.js';

/** Bucket publishing as readiness shows it: files not yet published, and those failing (retried). */
const Publishing = z
  .object({
    pending: z.int(),
    failing: z.array(
      z.object({
        target: z.string(),
        key: z.string(),
        version: z.int(),
        since: z.string(),
        attempts: z.int(),
        error: z.string(),
      }),
    ),
  })
  .optional()
  .describe(
    'present when bucket publishing is on; a failing publish is retried and shown here (and in /metrics)',
  );

/** Liveness and readiness, without a key. */
export function healthRoutes(
  app: App,
  {
    vexil,
    delivery,
    publishing,
  }: RouteContext & { delivery?: Delivery; publishing?: { status(): PublishStatus } | undefined },
): void {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'The process is alive',
        security: [],
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['health'],
        summary: 'The store answers and every snapshot is loaded',
        security: [],
        response: {
          200: z.object({ status: z.literal('ready'), publishing: Publishing }),
          503: z.object({ status: z.literal('unavailable'), error: z.string(), publishing: Publishing }),
        },
      },
    },
    async (_request, reply) => {
      // Publishing never makes a server unready: SDKs don't need the bucket to be served here.
      const extra = publishing === undefined ? {} : { publishing: publishing.status() };
      try {
        await vexil.store.ping();
        if (delivery !== undefined && !delivery.ready) {
          return reply
            .status(503)
            .send({ status: 'unavailable' as const, error: 'snapshots are not loaded', ...extra });
        }
        return { status: 'ready' as const, ...extra };
      } catch (error) {
        return reply
          .status(503)
          .send({ status: 'unavailable' as const, error: (error as Error).message, ...extra });
      }
    },
  );
}
