import type { EvaluationResult } from '@vexil/core';
import { type Context, contextKeyOf, isPrivate } from '../client/context.js';
import { VexilError } from '../errors/vexil-error.js';
import { detectPii } from '../security/pii.js';
import type { Logger } from '../util/logger.js';
import type { EventProcessor } from './event-processor.js';
import type { ExposureEvent } from './event-types.js';
import { ExposureDedup } from './exposure-dedup.js';

/** What the recorder needs. */
export interface EventRecorderOptions {
  processor: EventProcessor;
  exposures: boolean;
  exposureWindow: number;
  privateAttributes: readonly string[];
  strictPii: boolean;
  logger: Logger;
  onError: (error: VexilError) => void;
}

/**
 * Turns evaluations and `track` calls into events, applying the PII guard: only a
 * context's key is ever sent; a private key, or (in strict mode) one that looks like an
 * e-mail address or card number, is sent as a one-way hash; an event name that looks
 * like personal data is dropped in strict mode.
 */
export class EventRecorder {
  private readonly dedup: ExposureDedup;
  private warnedPii = false;
  /** A clock read once a second: reading it per evaluation would cost more than the evaluation. */
  private coarseNow = Date.now();
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(private readonly options: EventRecorderOptions) {
    this.dedup = new ExposureDedup(options.exposureWindow);
    this.ticker = setInterval(() => {
      this.coarseNow = Date.now();
    }, 1000);
    (this.ticker as { unref?: () => void }).unref?.();
  }

  /** Stops the clock. */
  close(): void {
    clearInterval(this.ticker);
  }

  /** Whether evaluations produce exposures. */
  get exposures(): boolean {
    return this.options.exposures;
  }

  /** Records an exposure for an evaluation that served a variant (deduplicated). */
  exposure(result: EvaluationResult<unknown>, context: Context): void {
    const variant = result.variant;
    if (variant === undefined) return;
    const contextKey = contextKeyOf(context);
    if (contextKey === undefined) return; // an anonymous exposure tells an experiment nothing
    if (!this.dedup.admit(result.key, variant, contextKey, this.coarseNow)) return;
    const event: ExposureEvent = {
      kind: 'exposure',
      time: new Date().toISOString(),
      flag: result.key,
      variant,
      contextKey,
      reason: result.reason,
    };
    if (result.ruleId !== undefined) event.ruleId = result.ruleId;
    if (result.experiment !== undefined) event.experiment = result.experiment;
    this.options.processor.enqueue(event, this.hashKey(context, contextKey));
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
    const event = { kind: 'track' as const, time: new Date().toISOString(), name } as {
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
