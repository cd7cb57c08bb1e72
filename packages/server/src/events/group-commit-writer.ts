import { StoreUnavailableError } from '../errors/index.js';
import type { AppendOutcome, EventBatchRecord, EventStore } from '../stores/event-types.js';
import { QueueFullError } from './queue-full-error.js';

export interface GroupCommitOptions {
  readonly store: Pick<EventStore, 'appendEventBatches'>;
  /** Most events waiting or being written before new batches are refused (default 100 000). */
  readonly maxQueuedEvents?: number | undefined;
  /** Most events one transaction writes (default 20 000). */
  readonly maxEventsPerCommit?: number | undefined;
  /** Called after each commit with the batches it stored (not the duplicates). */
  readonly onCommitted?: ((stored: readonly EventBatchRecord[], seconds: number) => void) | undefined;
  /** The clock, in milliseconds (for the commit rate behind `Retry-After`). */
  readonly now?: (() => number) | undefined;
}

export const WRITER_DEFAULTS = {
  maxQueuedEvents: 100_000,
  maxEventsPerCommit: 20_000,
} as const;

interface Pending {
  readonly batch: EventBatchRecord;
  resolve(outcome: AppendOutcome): void;
  reject(error: unknown): void;
}

/**
 * Group commit: batches submitted while a transaction is being written wait for the next
 * one, which takes all of them (up to `maxEventsPerCommit`). So under load many requests
 * share one transaction and one fsync, and each request is answered only once its batch
 * is durably committed. One transaction at a time; the queue is bounded.
 */
export class GroupCommitWriter {
  private readonly queue: Pending[] = [];
  private queued = 0;
  private writing: Promise<void> | undefined;
  private closed = false;
  /** Events committed per second, smoothed. */
  private rate = 0;
  private readonly maxQueued: number;
  private readonly maxPerCommit: number;
  private readonly now: () => number;

  constructor(private readonly options: GroupCommitOptions) {
    this.maxQueued = options.maxQueuedEvents ?? WRITER_DEFAULTS.maxQueuedEvents;
    this.maxPerCommit = options.maxEventsPerCommit ?? WRITER_DEFAULTS.maxEventsPerCommit;
    this.now = options.now ?? Date.now;
  }

  /** Events waiting or being written. */
  get queuedEvents(): number {
    return this.queued;
  }

  /**
   * Resolves once the batch is committed (or found already stored). Throws `QueueFullError`
   * at once when it does not fit in the queue.
   */
  submit(batch: EventBatchRecord): Promise<AppendOutcome> {
    if (this.closed) return Promise.reject(new StoreUnavailableError('the server is shutting down'));
    const size = batch.events.length;
    if (this.queued > 0 && this.queued + size > this.maxQueued) {
      return Promise.reject(new QueueFullError(this.retryAfter()));
    }
    this.queued += size;
    return new Promise<AppendOutcome>((resolve, reject) => {
      this.queue.push({ batch, resolve, reject });
      this.writing ??= this.drain();
    });
  }

  /** Writes everything queued, then refuses new batches. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  /** Resolves when every batch submitted so far is written (or failed). */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // Let the requests that arrived meanwhile be read and queued first, so they join this
        // commit: SQLite's commit (and its fsync) blocks the event loop while it runs.
        await new Promise((resolve) => setImmediate(resolve));
        const group = this.takeGroup();
        await this.commit(group);
      }
    } finally {
      this.writing = undefined;
    }
  }

  private takeGroup(): Pending[] {
    let events = 0;
    let n = 0;
    while (n < this.queue.length) {
      const size = this.queue[n]!.batch.events.length;
      if (n > 0 && events + size > this.maxPerCommit) break;
      events += size;
      n++;
    }
    return this.queue.splice(0, n);
  }

  private async commit(group: Pending[]): Promise<void> {
    const started = this.now();
    const events = group.reduce((sum, p) => sum + p.batch.events.length, 0);
    try {
      const outcomes = await this.options.store.appendEventBatches(group.map((p) => p.batch));
      this.settled(group, started, events, outcomes);
    } catch (error) {
      if (group.length === 1 || error instanceof StoreUnavailableError) {
        this.queued -= events;
        for (const p of group) p.reject(error);
        return;
      }
      // One bad batch must not fail the others: write them one by one.
      for (const p of group) await this.commit([p]);
    }
  }

  private settled(group: Pending[], started: number, events: number, outcomes: AppendOutcome[]): void {
    const seconds = Math.max((this.now() - started) / 1000, 0.001);
    this.rate = this.rate === 0 ? events / seconds : 0.8 * this.rate + 0.2 * (events / seconds);
    this.queued -= events;
    const stored = group.filter((_, i) => outcomes[i]?.duplicate === false).map((p) => p.batch);
    try {
      this.options.onCommitted?.(stored, seconds);
    } finally {
      for (let i = 0; i < group.length; i++) group[i]!.resolve(outcomes[i]!);
    }
  }

  /** Seconds until the queue has likely drained enough: at least 1, at most 30. */
  private retryAfter(): number {
    if (this.rate <= 0) return 1;
    return Math.min(30, Math.max(1, Math.ceil(this.queued / this.rate)));
  }
}
