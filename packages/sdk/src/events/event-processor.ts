import { VexilError } from '../errors/vexil-error.js';
import { Backoff, type BackoffOptions } from '../http/backoff.js';
import type { HttpClient } from '../http/http-client.js';
import { sha256Hex } from '../security/digest.js';
import type { Logger } from '../util/logger.js';
import { setUnrefTimeout, sleep } from '../util/timers.js';
import { randomId } from '../util/uuid.js';
import type { EventBatch, EventInput, QueuedEvent, SdkEvent } from './event-types.js';
import type { EventJournal } from './journal.js';

/** What the event processor needs. */
export interface EventProcessorOptions {
  http: Pick<HttpClient, 'request'>;
  journal: EventJournal | undefined;
  sdkName: string;
  flushInterval: number;
  batchSize: number;
  maxQueueSize: number;
  retry: BackoffOptions;
  logger: Logger;
  onError: (error: VexilError) => void;
}

/** Counters about events. */
export interface EventStats {
  /** Waiting to be sent (in batches or not). */
  queued: number;
  /** Accepted by the server. */
  sent: number;
  /** Not accepted because the queue was full. */
  dropped: number;
  /** Refused by the server as invalid (400) — not retried. */
  rejected: number;
}

type Outcome = 'done' | 'again' | 'wait' | 'stop';

/**
 * Queues events, sends them in batches to `POST /api/v1/events`, one batch at a time and
 * in order. A batch keeps its id across retries, so the server stores it once. The queue
 * is bounded; what does not fit is counted in `dropped`.
 */
export class EventProcessor {
  private pending: QueuedEvent[] = [];
  private batches: EventBatch[] = [];
  private chain: Promise<void> = Promise.resolve();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private resumeAt = 0;
  private stopped = false;
  private closed = false;
  private readonly backoff: Backoff;
  private readonly counters = { sent: 0, dropped: 0, rejected: 0 };

  constructor(private readonly options: EventProcessorOptions) {
    this.backoff = new Backoff(options.retry);
  }

  /** Takes over what a crashed process left, then starts the flush timer. */
  start(): void {
    const journal = this.options.journal;
    if (journal !== undefined) {
      try {
        const recovered = journal.recover();
        this.batches = this.batches.concat(recovered.batches);
        this.pending = recovered.pending.concat(this.pending);
        const count = recovered.pending.length + recovered.batches.reduce((n, b) => n + b.events.length, 0);
        if (count > 0) this.options.logger.info(`recovered ${count} events from the journal`);
      } catch (error) {
        this.options.onError(
          new VexilError('CACHE_ERROR', `could not read the event journal: ${String(error)}`),
        );
      }
    }
    this.schedule(this.options.flushInterval);
    if (this.queued > 0) this.trigger();
  }

  get stats(): EventStats {
    return { queued: this.queued, ...this.counters };
  }

  /** Queues an event; false when the queue was full (the event is dropped and counted). */
  enqueue(event: SdkEvent, hashKey: boolean): boolean {
    return this.enqueueAll([{ event, hashKey }]) === 1;
  }

  /**
   * Queues events, journaled with one write before this returns; returns how many were
   * accepted. Those that do not fit in the queue are dropped and counted.
   */
  enqueueAll(inputs: readonly EventInput[]): number {
    if (this.closed || inputs.length === 0) return 0;
    const room = Math.max(0, this.options.maxQueueSize - this.queued);
    if (inputs.length > room) {
      if (this.counters.dropped === 0) {
        this.options.logger.warn(`event queue full (${this.options.maxQueueSize}); dropping new events`);
      }
      this.counters.dropped += inputs.length - room;
    }
    const accepted: QueuedEvent[] = [];
    for (let i = 0; i < inputs.length && i < room; i++) {
      const { event, hashKey } = inputs[i]!;
      const queued: QueuedEvent = { id: randomId(), event };
      if (hashKey) queued.hashKey = true;
      accepted.push(queued);
    }
    if (accepted.length === 0) return 0;
    try {
      this.options.journal?.append(accepted);
    } catch (error) {
      this.options.onError(new VexilError('CACHE_ERROR', `could not persist events: ${String(error)}`));
    }
    for (const queued of accepted) this.pending.push(queued);
    if (this.pending.length >= this.options.batchSize) this.trigger();
    return accepted.length;
  }

  /** Sends everything queued; resolves when the queue is empty or the server can't take more now. */
  flush(): Promise<void> {
    this.chain = this.chain.then(() => this.drain());
    return this.chain;
  }

  /** Stops the timer, tries to send what is queued (within `timeout`), releases the journal. */
  async close(timeout: number): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.resumeAt = 0;
    await Promise.race([this.flush(), sleep(timeout)]);
    this.safely(() => this.options.journal?.close());
  }

  private get queued(): number {
    let n = this.pending.length;
    for (const batch of this.batches) n += batch.events.length;
    return n;
  }

  private trigger(): void {
    queueMicrotask(() => {
      this.flush().catch(() => {});
    });
  }

  private schedule(delay: number): void {
    if (this.closed) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setUnrefTimeout(() => {
      this.timer = undefined;
      // This timer is what waited (timers may fire a millisecond before Date.now() says so).
      this.resumeAt = 0;
      this.flush()
        .catch(() => {})
        .finally(() => this.schedule(this.options.flushInterval));
    }, delay);
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      if (Date.now() < this.resumeAt) return;
      if (this.batches.length === 0 && !this.formBatch()) return;
      const batch = this.batches[0]!;
      const outcome = await this.send(batch);
      if (outcome === 'done') {
        this.batches.shift();
        this.safely(() => this.options.journal?.complete(batch.batchId));
      } else if (outcome === 'wait' || outcome === 'stop') {
        return;
      }
    }
  }

  private formBatch(): boolean {
    if (this.pending.length === 0) return false;
    const size = Math.min(this.options.batchSize, 1000);
    const batch: EventBatch = {
      batchId: randomId(),
      events: this.pending.slice(0, size),
    };
    const remaining = this.pending.slice(size);
    this.safely(() => this.options.journal?.formBatch(batch, remaining));
    this.batches.push(batch);
    this.pending = remaining;
    return true;
  }

  private async send(batch: EventBatch): Promise<Outcome> {
    let response: Response;
    try {
      const events = await Promise.all(batch.events.map(toWire));
      const body = JSON.stringify({ batchId: batch.batchId, sdk: this.options.sdkName, events });
      response = await this.options.http.request('/api/v1/events', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body,
        // A batch sent as the page goes away must outlive it (browsers cap such bodies at 64 KiB).
        keepalive: body.length < 60_000,
      });
    } catch (error) {
      return this.failed(error);
    }
    const text = await response.text().catch(() => '');
    if (response.ok) {
      this.backoff.reset();
      this.counters.sent += batch.events.length;
      return 'done';
    }
    if (response.status === 413 && batch.events.length > 1) {
      this.split(batch);
      return 'again';
    }
    if (response.status === 400 || response.status === 413) {
      this.counters.rejected += batch.events.length;
      this.options.onError(
        new VexilError(
          'EVENTS_REJECTED',
          `the server refused a batch of ${batch.events.length} events (${response.status}): ${text.slice(0, 500)}`,
          { status: response.status },
        ),
      );
      return 'done';
    }
    return this.failed(
      new VexilError('SERVER_ERROR', `the server answered ${response.status} to an event batch`, {
        status: response.status,
      }),
    );
  }

  private failed(error: unknown): Outcome {
    if (error instanceof VexilError && error.code === 'AUTH_FAILED') {
      this.stopped = true; // keep the events: a restart with a working key sends them
      return 'stop';
    }
    if (error instanceof VexilError && error.code === 'CLOSED') return 'stop';
    const delay =
      error instanceof VexilError && error.retryAfter !== undefined ? error.retryAfter : this.backoff.next();
    this.options.logger.debug(`event batch not delivered (${String(error)}); retrying in ${delay} ms`);
    this.resumeAt = Date.now() + delay;
    this.schedule(delay);
    return 'wait';
  }

  private split(batch: EventBatch): void {
    const half = Math.ceil(batch.events.length / 2);
    const parts: EventBatch[] = [
      { batchId: randomId(), events: batch.events.slice(0, half) },
      { batchId: randomId(), events: batch.events.slice(half) },
    ];
    const journal = this.options.journal;
    this.safely(() => {
      for (const part of parts) journal?.formBatch(part, this.pending);
      journal?.complete(batch.batchId);
    });
    this.batches.splice(0, 1, ...parts);
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.options.onError(new VexilError('CACHE_ERROR', `event journal: ${String(error)}`));
    }
  }
}

async function toWire(queued: QueuedEvent): Promise<SdkEvent> {
  const event = queued.event;
  if (!queued.hashKey || event.contextKey === undefined) return event;
  return { ...event, contextKey: `sha256:${await sha256Hex(`vexil-pii/${event.contextKey}`)}` };
}
