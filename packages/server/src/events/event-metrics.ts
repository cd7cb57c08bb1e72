import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of event ingestion. */
export interface EventMetrics {
  readonly events: Counter<'kind'>;
  readonly batches: Counter<'outcome'>;
  readonly queued: Gauge;
  readonly commitSeconds: Histogram;
  readonly exportFailures: Counter<'exporter'>;
}

/** Creates the metrics, registered on `registry` when given (on none otherwise). */
export function createEventMetrics(registry?: Registry): EventMetrics {
  const registers = registry === undefined ? [] : [registry];
  return {
    events: new Counter({
      name: 'vexil_events_stored_total',
      help: 'Events stored (exposures and tracked events), duplicates not counted',
      labelNames: ['kind'],
      registers,
    }),
    batches: new Counter({
      name: 'vexil_event_batches_total',
      help: 'Event batches received, by outcome: stored, duplicate, invalid, too_large, queue_full, failed',
      labelNames: ['outcome'],
      registers,
    }),
    queued: new Gauge({
      name: 'vexil_event_queue_events',
      help: 'Events accepted for writing and not yet committed',
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'vexil_event_commit_seconds',
      help: 'Time to commit one group of event batches',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    exportFailures: new Counter({
      name: 'vexil_event_export_failures_total',
      help: 'Exports of stored events that failed, by exporter',
      labelNames: ['exporter'],
      registers,
    }),
  };
}
