import type { EvaluationResult } from '@vexil/core';
import type { Context } from '../client/context.js';
import { detectPii } from '../security/pii.js';
import type { EventInput, ExposureEvent } from './event-types.js';
import { ExposureDedup, isDuplicate, type Seen } from './exposure-dedup.js';
import type { RingContents } from './exposure-ring.js';

/** Where no run of entries has started (no context is this object). */
const NO_RUN = Object.freeze({});

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

  /** The events for a drained ring's contents, each stamped with its entry's time; lets go of the entries. */
  collect(contents: RingContents): EventInput[] {
    const { slots, count, marks } = contents;
    const events: EventInput[] = [];
    // Entries between two marks share a time: walk them segment by segment.
    for (let m = 0; m < marks.length; m += 2) {
      const end = m + 2 < marks.length ? marks[m + 2]! : count;
      this.collectSegment(slots, marks[m]!, Math.min(end, count), marks[m + 1]!, events);
    }
    return events;
  }

  private collectSegment(
    slots: unknown[],
    from: number,
    to: number,
    now: number,
    events: EventInput[],
  ): void {
    const dedup = this.dedup;
    let time = '';
    // A run: entries for one context object with one key (a request's evaluations, a browser's
    // default context). Its key is checked and looked up once; each flag is compared with that.
    let runContext: unknown = NO_RUN;
    let runKey: unknown;
    let seen: Seen | undefined;
    let previous: unknown;
    for (let i = from * 3; i < to * 3; i += 3) {
      const result = slots[i] as EvaluationResult<unknown> | undefined;
      const key = slots[i + 1];
      const context = slots[i + 2];
      // Let go of the entry while its line is in cache (the ring then need not).
      slots[i] = undefined;
      slots[i + 1] = undefined;
      slots[i + 2] = undefined;
      // Contexts are compared first: two objects end a run without comparing their keys' characters.
      if (context !== runContext || key !== runKey) {
        runContext = context;
        runKey = key;
        previous = result;
        if (typeof key !== 'string' || key.length === 0) {
          runKey = undefined; // anonymous: the run is skipped
          continue;
        }
        seen = dedup.lookup(key);
      } else if (result === previous || runKey === undefined) {
        continue; // the same flag again for this context, or an anonymous run
      } else previous = result;
      if (result === undefined) continue;
      const variant = result.variant;
      if (variant === undefined || isDuplicate(seen, result.key, variant, now)) continue;
      seen = dedup.record(result.key, variant, key as string, now, seen);
      if (time === '') time = new Date(now).toISOString();
      const event: ExposureEvent = {
        kind: 'exposure',
        time,
        flag: result.key,
        variant,
        contextKey: key as string,
        reason: result.reason,
      };
      if (result.ruleId !== undefined) event.ruleId = result.ruleId;
      if (result.experiment !== undefined) event.experiment = result.experiment;
      events.push({ event, hashKey: this.mustHash(key as string, context as Context | undefined) });
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
