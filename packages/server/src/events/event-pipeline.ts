import type { Registry } from 'prom-client';
import type { EventBatchRecord, EventRecord, EventStore } from '../stores/event-types.js';
import type { EventBatchBody } from './batch-schema.js';
import { createEventMetrics, type EventMetrics } from './event-metrics.js';
import type { EventExporter } from './exporter.js';
import { GroupCommitWriter } from './group-commit-writer.js';

/** Where errors of exporters are reported (a pino logger fits). */
export interface EventLogger {
  error(details: object, message: string): void;
}

export interface EventPipelineOptions {
  readonly store: Pick<EventStore, 'appendEventBatches'>;
  /** Most events waiting to be written before batches are refused with 429 (default 100 000). */
  readonly maxQueuedEvents?: number | undefined;
  /** Most events per transaction (default 20 000). */
  readonly maxEventsPerCommit?: number | undefined;
  /** Where stored events also go (an NDJSON file, a stream …). */
  readonly exporters?: readonly EventExporter[] | undefined;
  /** Prometheus registry for the ingestion metrics. */
  readonly metrics?: Registry | undefined;
  readonly logger?: EventLogger | undefined;
  readonly clock?: (() => Date) | undefined;
}

/** A refused batch, by why (for metrics). */
export type RefusedOutcome = 'invalid' | 'too_large' | 'queue_full' | 'failed';

/** Event ingestion: validated batches in, durable commits (and exports) out. */
export interface EventPipeline {
  /**
   * Stores a batch for the key's project and environment; resolves once it is durably
   * committed (or was already stored). Throws `QueueFullError` when the queue is full.
   */
  submit(
    project: string,
    environment: string,
    body: EventBatchBody,
  ): Promise<{ accepted: number; duplicate: boolean }>;
  /** Counts a batch refused before it reached the queue. */
  refused(outcome: RefusedOutcome): void;
  readonly queuedEvents: number;
  /** Resolves when every batch submitted so far is written and exported. */
  flush(): Promise<void>;
  /** Writes and exports what is queued, refuses new batches, closes the exporters. */
  close(): Promise<void>;
}

/**
 * @example
 * const events = createEventPipeline({ store, exporters: [createFileExporter({ path: 'events.ndjson' })] });
 * await events.submit('shop', 'production', { batchId: '…', events: [...] });
 */
export function createEventPipeline(options: EventPipelineOptions): EventPipeline {
  const metrics: EventMetrics = createEventMetrics(options.metrics);
  const exporters = options.exporters ?? [];
  const clock = options.clock ?? (() => new Date());
  let exports: Promise<void> = Promise.resolve();

  const exportAll = async (stored: readonly EventBatchRecord[]) => {
    for (const exporter of exporters) {
      try {
        await exporter.export(stored);
      } catch (error) {
        metrics.exportFailures.inc({ exporter: exporter.name });
        options.logger?.error({ err: error, exporter: exporter.name }, 'event export failed');
      }
    }
  };

  const writer = new GroupCommitWriter({
    store: options.store,
    maxQueuedEvents: options.maxQueuedEvents,
    maxEventsPerCommit: options.maxEventsPerCommit,
    onCommitted(stored, seconds) {
      metrics.commitSeconds.observe(seconds);
      for (const batch of stored) {
        for (const event of batch.events) metrics.events.inc({ kind: event.kind });
      }
      if (exporters.length > 0 && stored.length > 0) exports = exports.then(() => exportAll(stored));
    },
  });
  const updateQueued = () => metrics.queued.set(writer.queuedEvents);

  return {
    async submit(project, environment, body) {
      const record: EventBatchRecord = {
        project,
        environment,
        batchId: body.batchId,
        sdk: body.sdk ?? null,
        receivedAt: clock().toISOString(),
        events: body.events.map(toRecord),
      };
      let outcome: { duplicate: boolean };
      try {
        const pending = writer.submit(record);
        updateQueued();
        outcome = await pending;
      } catch (error) {
        metrics.batches.inc({
          outcome: (error as { code?: string }).code === 'QUEUE_FULL' ? 'queue_full' : 'failed',
        });
        throw error;
      } finally {
        updateQueued();
      }
      metrics.batches.inc({ outcome: outcome.duplicate ? 'duplicate' : 'stored' });
      return { accepted: record.events.length, duplicate: outcome.duplicate };
    },
    refused(outcome) {
      metrics.batches.inc({ outcome });
    },
    get queuedEvents() {
      return writer.queuedEvents;
    },
    async flush() {
      await writer.flush();
      await exports;
    },
    async close() {
      await writer.close();
      await exports;
      for (const exporter of exporters) {
        try {
          await exporter.close();
        } catch (error) {
          options.logger?.error({ err: error, exporter: exporter.name }, 'closing an event exporter failed');
        }
      }
    },
  };
}

function toRecord(event: EventBatchBody['events'][number]): EventRecord {
  const time = new Date(event.time).toISOString();
  if (event.kind === 'exposure') {
    return {
      kind: 'exposure',
      time,
      flag: event.flag,
      variant: event.variant,
      contextKey: event.contextKey ?? null,
      reason: event.reason ?? null,
      ruleId: event.ruleId ?? null,
      experiment: event.experiment ?? null,
    };
  }
  return {
    kind: 'track',
    time,
    name: event.name,
    value: event.value ?? null,
    contextKey: event.contextKey ?? null,
  };
}
