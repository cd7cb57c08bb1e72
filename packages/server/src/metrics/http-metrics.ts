import type { FastifyInstance } from 'fastify';
import type { Metrics } from './registry.js';

/**
 * Counts and times every request by route pattern (`/api/v1/projects/:project`, never the
 * raw URL, so the number of series stays bounded), and serves `/metrics` (no key needed:
 * scrape it from inside your network).
 */
export function installHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  const { httpRequests, httpDuration } = metrics;
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const method = request.method;
    httpRequests.inc({ method, route, status: reply.statusCode });
    httpDuration.observe({ method, route }, reply.elapsedTime / 1000);
    done();
  });
  app.get(
    '/metrics',
    {
      config: { access: 'public' },
      schema: { tags: ['health'], summary: 'Prometheus metrics (text exposition format)', security: [] },
    },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
}
