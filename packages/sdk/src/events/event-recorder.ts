import { type Context, contextKeyOf, isPrivate } from '../client/context.js';
import { VexilError } from '../errors/vexil-error.js';
import { detectPii } from '../security/pii.js';
import type { Logger } from '../util/logger.js';
import type { EventProcessor } from './event-processor.js';
import { ExposureCollector } from './exposure-collector.js';
import { ExposureRing } from './exposure-ring.js';

/** What the recorder needs. */
export interface EventRecorderOptions {
  processor: EventProcessor;
  exposures: boolean;
  exposureWindow: number;
  /** Milliseconds between drains of the exposure ring (also the precision of exposure times). */
  drainInterval: number;
  privateAttributes: readonly string[];
  strictPii: boolean;
  logger: Logger;
  onError: (error: VexilError) => void;
  /** The clock, read on each drain tick and when the ring half fills (default `Date.now`). */
  now?: (() => number) | undefined;
  /** Registers a function to run when the process exits (Node); returns a function that unregisters it. */
  onExit?: ((fn: () => void) => () => void) | undefined;
  /** Slots per ring buffer (default `EXPOSURE_RING_SIZE`). */
  ringSize?: number | undefined;
}

/**
 * Turns evaluations and `track` calls into events, applying the PII guard: only a
 * context's key is ever sent; a private key, or (in strict mode) one that looks like an
 * e-mail address or card number, is sent as a one-way hash; an event name that looks
 * like personal data is dropped in strict mode.
 *
 * Exposures take two steps. On the hot path an evaluation only appends to the `ring`.
 * A drain — every `drainInterval`, on `flush()`, `eventStats()`, `close()`, at process
 * exit, and whenever the ring fills — deduplicates them, builds the events and hands them
 * to the processor, which journals them (Node) in one write: from then on they survive a
 * crash. `track` skips the ring: its event is journaled before `track` returns.
 */
export class EventRecorder {
  /** Where evaluations append exposures; undefined when exposures are off. */
  readonly ring: ExposureRing | undefined;
  private warnedPii = false;
  private readonly now: () => number;
  private readonly ticker: ReturnType<typeof setInterval> | undefined;
  private readonly unhookExit: (() => void) | undefined;

  constructor(private readonly options: EventRecorderOptions) {
    this.now = options.now ?? Date.now;
    if (!options.exposures) return;
    const collector = new ExposureCollector({
      window: options.exposureWindow,
      privateAttributes: options.privateAttributes,
      strictPii: options.strictPii,
      warnPii: (message) => this.warnPii(message),
      warn: (message) => options.logger.warn(message),
    });
    this.ring = new ExposureRing(
      (contents) => options.processor.enqueueAll(collector.collect(contents)),
      this.now,
      (error) => options.logger.error('recording exposures failed', error),
      options.ringSize,
    );
    const ring = this.ring;
    this.ticker = setInterval(() => {
      ring.drain();
      ring.tick();
    }, options.drainInterval);
    (this.ticker as { unref?: () => void }).unref?.();
    this.unhookExit = options.onExit?.(() => ring.drain());
  }

  /** Moves the exposures recorded so far into the event queue (and the journal). */
  drain(): void {
    this.ring?.drain();
  }

  /** Exposures lost because the ring overflowed while being drained. */
  get dropped(): number {
    return this.ring?.dropped ?? 0;
  }

  /** Drains what is left and stops recording exposures. */
  close(): void {
    if (this.ticker !== undefined) clearInterval(this.ticker);
    this.unhookExit?.();
    this.ring?.close();
  }

  /** Records a tracked event; returns false when it was refused or dropped. */
  track(name: string, context: Context, value: number | undefined): boolean {
    if (typeof name !== 'string' || name.length === 0 || name.length > 200 || name.includes('\u0000')) {
      // Checked here: one bad event must not get a whole batch refused by the server.
      this.options.onError(
        new VexilError(
          'INVALID_OPTIONS',
          'track: the event name must be a string of 1–200 characters without NUL',
        ),
      );
      return false;
    }
    if (value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))) {
      this.options.onError(
        new VexilError('INVALID_OPTIONS', `track: value must be a finite number, got ${String(value)}`),
      );
      return false;
    }
    const pii = detectPii(name);
    if (pii !== undefined) {
      if (this.options.strictPii) {
        this.options.onError(
          new VexilError(
            'PII_DETECTED',
            `track: the event name looks like it contains a ${pii}; not sent (strict PII mode)`,
          ),
        );
        return false;
      }
      this.warnPii(`an event name looks like it contains a ${pii}`);
    }
    const contextKey = contextKeyOf(context);
    const event = { kind: 'track' as const, time: new Date(this.now()).toISOString(), name } as {
      kind: 'track';
      time: string;
      name: string;
      value?: number;
      contextKey?: string;
    };
    if (value !== undefined) event.value = value;
    if (contextKey !== undefined) event.contextKey = contextKey;
    return this.options.processor.enqueue(
      event,
      contextKey !== undefined && this.hashKey(context, contextKey),
    );
  }

  private hashKey(context: Context, contextKey: string): boolean {
    if (isPrivate(context, 'targetingKey', this.options.privateAttributes)) return true;
    const pii = detectPii(contextKey);
    if (pii === undefined) return false;
    if (this.options.strictPii) return true;
    this.warnPii(`a context key looks like a ${pii}; mark targetingKey private or use strictPii`);
    return false;
  }

  private warnPii(message: string): void {
    if (this.warnedPii) return;
    this.warnedPii = true;
    this.options.logger.warn(`possible personal data: ${message}`);
  }
}
