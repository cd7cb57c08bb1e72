import { z } from 'zod';
import type { Delivery } from '../../delivery/delivery.js';
import type { App, RouteContext } from './app-type.js';

/** Liveness and readiness, without a key. */
export function healthRoutes(app: App, { vexil, delivery }: RouteContext & { delivery?: Delivery }): void {
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
          200: z.object({ status: z.literal('ready') }),
          503: z.object({ status: z.literal('unavailable'), error: z.string() }),
        },
      },
    },
    async (_request, reply) => {
      try {
        await vexil.store.ping();
        if (delivery !== undefined && !delivery.ready) {
          return reply
            .status(503)
            .send({ status: 'unavailable' as const, error: 'snapshots are not loaded' });
        }
        return { status: 'ready' as const };
      } catch (error) {
        return reply.status(503).send({ status: 'unavailable' as const, error: (error as Error).message });
      }
    },
  );
}
