import type { EventBatch, QueuedEvent } from './event-types.js';

/**
 * Crash-safe storage for events that were accepted but not yet delivered. Every method is
 * synchronous on purpose: when `track` returns, the event is already written.
 */
export interface EventJournal {
  /** Events and batches left by earlier processes that died; the journal takes them over. */
  recover(): { pending: QueuedEvent[]; batches: EventBatch[] };
  /** Records accepted events (one write for all of them). */
  append(events: readonly QueuedEvent[]): void;
  /** Records that `batch` was formed from pending events; `remaining` are the ones still pending. */
  formBatch(batch: EventBatch, remaining: readonly QueuedEvent[]): void;
  /** Forgets a batch the server acknowledged (or rejected for good). */
  complete(batchId: string): void;
  /** Releases the journal; whatever it holds is recovered by the next process. */
  close(): void;
}
