import type { EvaluationResult } from '@vexil/core';
import type { Context } from '../client/context.js';
import { setUnrefTimeout } from '../util/timers.js';

/** Raw exposures held between drains (per buffer; there are two). */
export const EXPOSURE_RING_SIZE = 4096;

/**
 * One drained buffer, three slots per exposure: for i < count, `slots[3i]` (a result) was
 * served to `slots[3i + 2]` (a context), whose `targetingKey` was `slots[3i + 1]` at the
 * evaluation (a string normally; whatever it was otherwise, for the drain to skip). The
 * consumer may set the slots it has read to undefined; when it leaves the last one set,
 * the ring clears them all after it.
 */
export interface RingContents {
  readonly slots: unknown[];
  readonly count: number;
  /**
   * Times as flat pairs `[index, time, index, time, …]`, indexes increasing, the first 0:
   * entry i was recorded at or after the time of the last pair whose index is ≤ i.
   */
  readonly marks: readonly number[];
}

/**
 * The hot path of exposures: an evaluation appends the (shared, frozen) result the core
 * returned, the context's key and the context itself to preallocated arrays — one
 * property read, three stores: no clock, no map, no allocation, no I/O. Everything else
 * (deduplication, events, PII, the journal) happens when the ring is drained.
 *
 * Time is coarse: `tick()` (the client's drain timer) and every half-filling of the ring
 * read the clock and mark the position; an entry's time is the last mark before it —
 * never later than the evaluation, at most one tick (or half a ring of evaluations) early.
 *
 * Two buffers: a drain swaps them first, so an evaluation made while a drain runs (from an
 * error listener, say) lands in the other one. When the ring is half full a drain is
 * scheduled on the next turn of the event loop; when it is full (a synchronous loop that
 * never yields) it is drained on the spot, so nothing is lost.
 */
export class ExposureRing {
  /**
   * The buffer being filled: result, key and context side by side (one cache line holds
   * several exposures), `size` exposures so far. Until `size` reaches `limit` (half, then
   * full; 0 once closed) an append is only these stores: `getBoolean` writes them in line,
   * so that its hot path has no call whatever the engine decides to inline; everything
   * else calls `record`.
   */
  slots: unknown[];
  size = 0;
  limit: number;
  private spare: unknown[];
  private marks: number[];
  private scheduled: ReturnType<typeof setTimeout> | undefined;
  private draining = false;
  private closed = false;
  /** Exposures lost because the ring filled up while it was being drained (a listener evaluating in a loop). */
  dropped = 0;

  constructor(
    private readonly consume: (contents: RingContents) => void,
    private readonly now: () => number,
    private readonly onError: (error: unknown) => void,
    private readonly capacity = EXPOSURE_RING_SIZE,
  ) {
    this.slots = new Array(capacity * 3).fill(undefined);
    this.spare = new Array(capacity * 3).fill(undefined);
    this.marks = [0, now()];
    this.limit = this.half;
  }

  /** Exposures waiting for the next drain. */
  get pending(): number {
    return this.size;
  }

  /** Records that `result` (which served a variant) was served to `context`. */
  record(result: EvaluationResult<unknown>, context: Context): void {
    let at = this.size;
    if (at >= this.limit) {
      at = this.makeRoom(at);
      if (at < 0) return;
    }
    const slots = this.slots;
    const i = at * 3;
    slots[i] = result;
    // The key is read now (the caller may reuse the object for another subject) but not
    // checked (that would read the string: the drain skips anonymous ones); the rest of
    // the context is looked at, if ever, by the drain.
    slots[i + 1] = context.targetingKey;
    slots[i + 2] = context;
    this.size = at + 1;
  }

  /** Reads the clock: exposures recorded from now on are stamped with this time. */
  tick(): void {
    const time = this.now();
    const marks = this.marks;
    if (marks[marks.length - 2] === this.size) marks[marks.length - 1] = time;
    else marks.push(this.size, time);
  }

  /** Hands everything recorded so far to the consumer. Never throws. */
  drain(): void {
    if (this.scheduled !== undefined) {
      clearTimeout(this.scheduled);
      this.scheduled = undefined;
    }
    const count = this.size;
    if (count === 0 || this.draining) return;
    const full = this.slots;
    const contents: RingContents = { slots: full, count, marks: this.marks };
    this.slots = this.spare;
    this.spare = full;
    this.marks = [0, this.marks[this.marks.length - 1]!];
    this.size = 0;
    if (!this.closed) this.limit = this.half;
    this.draining = true;
    try {
      this.consume(contents);
    } catch (error) {
      this.onError(error);
    } finally {
      // Let go of results (and the flag sets they belong to), keys and contexts until the slots are
      // reused — unless the consumer did as it read them (cheaper: the lines are in cache then). The
      // last slot holds a context, never undefined, until it is let go of.
      if (full[count * 3 - 1] !== undefined) for (let i = 0; i < count * 3; i++) full[i] = undefined;
      this.draining = false;
    }
  }

  /** Drains what is left and records nothing more. */
  close(): void {
    this.closed = true;
    this.limit = 0;
    this.drain();
  }

  private get half(): number {
    return Math.max(1, this.capacity >> 1);
  }

  private makeRoom(at: number): number {
    if (this.closed) return -1;
    if (at < this.capacity) {
      // Half full: read the clock (the timer may not have run for a while), drain soon, fill up meanwhile.
      this.tick();
      this.limit = this.capacity;
      this.scheduled ??= setUnrefTimeout(() => {
        this.scheduled = undefined;
        this.drain();
      }, 0);
      return at;
    }
    if (this.draining) {
      this.dropped++;
      return -1;
    }
    this.drain();
    // Evaluations made by the consumer (a listener) may have filled the other buffer meanwhile.
    if (this.size >= this.capacity) this.drain();
    this.tick();
    if (this.size < this.capacity) return this.size;
    this.dropped++;
    return -1;
  }
}
