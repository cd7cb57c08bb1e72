import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric the server exports at `/metrics`, by name, on a registry of its own (no
 * global state: tests run many servers in one process). Parts of the server set the ones
 * they own: the HTTP layer the request metrics, the delivery layer the stream and
 * snapshot metrics, bucket publishing the publish ones, the replica listener the
 * notification one. Other parts register metrics of their own on `registry` (event
 * ingestion: `createEventMetrics(metrics.registry)`).
 */
export interface Metrics {
  readonly registry: Registry;
  /** `vexil_http_requests_total{method,route,status}` */
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** `vexil_http_request_duration_seconds{method,route}` */
  readonly httpDuration: Histogram<'method' | 'route'>;
  /** `vexil_sse_connections{kind,scope}`: open streams (`kind` sdk or ofrep). */
  readonly sseConnections: Gauge<'kind' | 'scope'>;
  /** `vexil_sse_closed_total{reason}`: streams the server closed (`slow`, `key`, `removed`, `shutdown`). */
  readonly sseClosed: Counter<'reason'>;
  /** `vexil_snapshot_swaps_total`: snapshots swapped in. */
  readonly snapshotSwaps: Counter;
  /** `vexil_snapshot_version{project,environment}`: the version served (set when scraped). */
  readonly snapshotVersion: Gauge<'project' | 'environment'>;
  /** `vexil_propagation_seconds`: from a commit reaching this process to its patch written to every stream. */
  readonly propagation: Histogram;
  /** `vexil_bucket_publishes_total{target}` (set by bucket publishing). */
  readonly publishes: Counter<'target'>;
  /** `vexil_bucket_publish_failures_total{target}` (set by bucket publishing). */
  readonly publishFailures: Counter<'target'>;
  /** `vexil_replica_notifications_total{source}`: changes heard from other servers (`postgres`, `redis`). */
  readonly replicaNotifications: Counter<'source'>;
}

/**
 * A fresh set of metrics, with Node's process metrics (memory, CPU, event loop lag).
 * @example
 * const metrics = createMetrics();
 * metrics.eventQueueDepth.set(queue.length);
 * const text = await metrics.registry.metrics();
 */
export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'vexil_' });
  const registers = [registry];
  return {
    registry,
    httpRequests: new Counter({
      name: 'vexil_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    }),
    httpDuration: new Histogram({
      name: 'vexil_http_request_duration_seconds',
      help: 'Time to answer HTTP requests, by route pattern (streams: until the response started)',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    sseConnections: new Gauge({
      name: 'vexil_sse_connections',
      help: 'Open Server-Sent Events streams',
      labelNames: ['kind', 'scope'],
      registers,
    }),
    sseClosed: new Counter({
      name: 'vexil_sse_closed_total',
      help: 'Streams closed by the server, by reason',
      labelNames: ['reason'],
      registers,
    }),
    snapshotSwaps: new Counter({
      name: 'vexil_snapshot_swaps_total',
      help: 'Snapshots swapped in (one per environment and scope per change)',
      registers,
    }),
    snapshotVersion: new Gauge({
      name: 'vexil_snapshot_version',
      help: 'Version of the snapshot served, per environment',
      labelNames: ['project', 'environment'],
      registers,
    }),
    propagation: new Histogram({
      name: 'vexil_propagation_seconds',
      help: 'From a committed change reaching this server to its patch written to every subscribed stream',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    publishes: new Counter({
      name: 'vexil_bucket_publishes_total',
      help: 'Flag files written to a bucket or directory, by target',
      labelNames: ['target'],
      registers,
    }),
    publishFailures: new Counter({
      name: 'vexil_bucket_publish_failures_total',
      help: 'Failed writes of flag files, by target',
      labelNames: ['target'],
      registers,
    }),
    replicaNotifications: new Counter({
      name: 'vexil_replica_notifications_total',
      help: 'Changes heard from other servers, by source',
      labelNames: ['source'],
      registers,
    }),
  };
}

/** Runs `fill` each time the metric is scraped, so it shows the state of that moment. */
export function onScrape(metric: Gauge<string>, fill: () => void): void {
  (metric as unknown as { collect?: () => void }).collect = fill;
}
