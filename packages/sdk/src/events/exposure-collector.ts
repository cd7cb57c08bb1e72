import type { EvaluationResult } from '@vexil/core';
import type { Context } from '../client/context.js';
import { detectPii } from '../security/pii.js';
import type { EventInput, ExposureEvent } from './event-types.js';
import { ExposureDedup } from './exposure-dedup.js';
import type { RingContents } from './exposure-ring.js';

/** What the collector needs. */
export interface ExposureCollectorOptions {
  /** One exposure per flag, variant and context key within this many ms. */
  window: number;
  /** Attributes private for every context (the client's `privateAttributes`). */
  privateAttributes: readonly string[];
  strictPii: boolean;
  /** Called when a key looks like personal data outside strict mode. */
  warnPii: (message: string) => void;
  /** Logs a warning. */
  warn: (message: string) => void;
  /** (flag, key) pairs the deduplication table remembers exactly (it holds a sixteenth more at most). */
  maxEntries?: number;
}

/**
 * Turns the raw exposures of a drained ring into events: deduplicated per flag, variant
 * and context key within the window (across drains), with the PII guard applied — only
 * the context key is ever sent, as a one-way hash when it is private (for the client, or
 * for the context) or, in strict mode, looks like an e-mail address or card number.
 *
 * A context's `privateAttributes` is read here, not at the evaluation. A context object
 * whose `targetingKey` changed since its evaluation was reused for someone else: whether
 * its key was private back then is unknown, so it is hashed (and a warning says so).
 * Pure apart from its memory of what it has seen: times come from the ring's marks.
 */
export class ExposureCollector {
  private readonly dedup: ExposureDedup;
  private readonly allPrivate: boolean;
  private warnedReuse = false;

  constructor(private readonly options: ExposureCollectorOptions) {
    this.dedup = new ExposureDedup(options.window, options.maxEntries);
    this.allPrivate = options.privateAttributes.includes('targetingKey');
  }

  /** The events for a drained ring's contents, each stamped with its entry's time. */
  collect(contents: RingContents): EventInput[] {
    const { count, marks } = contents;
    const events: EventInput[] = [];
    // Entries between two marks share a time: walk them segment by segment.
    for (let m = 0; m < marks.length; m += 2) {
      const end = m + 2 < marks.length ? marks[m + 2]! : count;
      this.collectSegment(contents, marks[m]!, Math.min(end, count), marks[m + 1]!, events);
    }
    return events;
  }

  private collectSegment(
    { slots }: RingContents,
    from: number,
    to: number,
    now: number,
    events: EventInput[],
  ): void {
    const dedup = this.dedup;
    let time = '';
    let previousResult: EvaluationResult<unknown> | undefined;
    let previousKey: unknown;
    // Whether the dedup table's last call was for `previousKey`.
    let checked = false;
    for (let i = from * 3; i < to * 3; i += 3) {
      const result = slots[i] as EvaluationResult<unknown> | undefined;
      const key = slots[i + 1];
      const sameKey = key === previousKey;
      // The same flag for the same context, evaluated again and again in one request.
      if (sameKey && result === previousResult) continue;
      previousResult = result;
      previousKey = key;
      // Another flag for the same context (one request's evaluations): no second lookup of the key.
      const known = sameKey && checked;
      checked = false;
      if (result === undefined || typeof key !== 'string' || key.length === 0) continue; // anonymous
      const variant = result.variant;
      if (variant === undefined) continue;
      checked = true;
      if (!dedup.admit(result.key, variant, key, now, known)) continue;
      if (time === '') time = new Date(now).toISOString();
      const event: ExposureEvent = {
        kind: 'exposure',
        time,
        flag: result.key,
        variant,
        contextKey: key,
        reason: result.reason,
      };
      if (result.ruleId !== undefined) event.ruleId = result.ruleId;
      if (result.experiment !== undefined) event.experiment = result.experiment;
      events.push({ event, hashKey: this.mustHash(key, slots[i + 2] as Context | undefined) });
    }
  }

  private mustHash(key: string, context: Context | undefined): boolean {
    if (this.allPrivate) return true;
    if (context?.targetingKey !== key) {
      if (!this.warnedReuse) {
        this.warnedReuse = true;
        this.options.warn(
          'a context object was changed after it was evaluated; its exposure is sent with a hashed key. Pass a new context object per subject',
        );
      }
      return true;
    }
    if (context.privateAttributes?.includes('targetingKey') === true) return true;
    const pii = detectPii(key);
    if (pii === undefined) return false;
    if (this.options.strictPii) return true;
    this.options.warnPii(`a context key looks like a ${pii}; mark targetingKey private or use strictPii`);
    return false;
  }
}
