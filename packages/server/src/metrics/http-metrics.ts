import type { FastifyInstance } from 'fastify';
import { type HistogramSeries, histogramSeries } from './histogram-series.js';
import type { Metrics } from './registry.js';

/** One route pattern and method: its label sets, made once, and the requests not yet counted. */
interface RouteSeries {
  readonly labels: { readonly method: string; readonly route: string };
  readonly duration: HistogramSeries;
  readonly byStatus: Map<
    number,
    { labels: { method: string; route: string; status: number }; pending: number }
  >;
}

/**
 * Counts and times every request by route pattern (`/api/v1/projects/:project`, never the
 * raw URL, so the number of series stays bounded), and serves `/metrics` (no key needed:
 * scrape it from inside your network).
 *
 * Per request this costs a few map lookups and additions: the counts and durations go into
 * the prom-client metrics when they are read (a scrape, or `get()`), not one `inc` and one
 * `observe` per request.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: Metrics): HttpMetricsRecorder {
  const { httpRequests, httpDuration } = metrics;
  const series = new Map<string, Map<string, RouteSeries>>();
  const durations = histogramSeries(httpDuration);
  const seriesOf = (route: string, method: string): RouteSeries => {
    let byMethod = series.get(route);
    if (byMethod === undefined) {
      byMethod = new Map();
      series.set(route, byMethod);
    }
    let entry = byMethod.get(method);
    if (entry === undefined) {
      const labels = { method, route };
      entry = { labels, duration: durations.series(labels), byStatus: new Map() };
      byMethod.set(method, entry);
    }
    return entry;
  };
  const flush = () => {
    for (const byMethod of series.values()) {
      for (const entry of byMethod.values()) {
        for (const count of entry.byStatus.values()) {
          if (count.pending === 0) continue;
          httpRequests.inc(count.labels, count.pending);
          count.pending = 0;
        }
      }
    }
  };
  // Another server on the same metrics (one delivery, several apps) keeps counting too.
  const counter = httpRequests as unknown as { collect?: () => void };
  const previous = counter.collect;
  counter.collect = () => {
    previous?.();
    flush();
  };
  const record = (route: string, method: string, status: number, seconds: number) => {
    const entry = seriesOf(route, method);
    let count = entry.byStatus.get(status);
    if (count === undefined) {
      count = { labels: { ...entry.labels, status }, pending: 0 };
      entry.byStatus.set(status, count);
    }
    count.pending++;
    entry.duration.observe(seconds);
  };
  app.addHook('onResponse', (request, reply, done) => {
    record(
      request.routeOptions.url ?? 'unmatched',
      request.method,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
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
  return { record };
}

/** Counts a request answered outside fastify's hooks (see the OFREP fast path). */
export interface HttpMetricsRecorder {
  record(route: string, method: string, status: number, seconds: number): void;
}
