import type { EventBatchRecord } from '../stores/event-types.js';

/**
 * Somewhere events go besides the store: a file, a stream, a warehouse or a queue (Kafka,
 * ClickHouse …). `export` is called after each commit with the batches it stored, in
 * commit order and one call at a time; a failure is counted and logged, never retried
 * into the store, and never fails the SDK's request (the store already has the events).
 */
export interface EventExporter {
  /** Shown in logs and metrics. */
  readonly name: string;
  export(batches: readonly EventBatchRecord[]): Promise<void>;
  /** Writes what it buffers and releases what it holds. */
  close(): Promise<void>;
}

/** One line per event: where it came from and the event as the SDK sent it. */
export function toNdjson(batches: readonly EventBatchRecord[]): string {
  let out = '';
  for (const batch of batches) {
    const origin = {
      project: batch.project,
      environment: batch.environment,
      batchId: batch.batchId,
      sdk: batch.sdk,
      receivedAt: batch.receivedAt,
    };
    for (const event of batch.events) out += `${JSON.stringify({ ...origin, ...withoutNulls(event) })}\n`;
  }
  return out;
}

function withoutNulls(event: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(event)) if (value !== null) out[key] = value;
  return out;
}
