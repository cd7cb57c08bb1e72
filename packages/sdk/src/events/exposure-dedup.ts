/**
 * A flag's variant recorded until a time. Immutable and shared by every key recorded with
 * the same flag, variant and time (a handful are live at once), so remembering a key
 * costs one table slot, and checking it touches memory that is already in cache.
 */
class Stamp {
  constructor(
    readonly flag: string,
    readonly variant: string,
    readonly until: number,
  ) {}
}

/** What a context key remembers: the stamp of its one flag, or those of its several flags. */
export type Seen = Stamp | Stamp[];

/** The default `limit`: (flag, context key) pairs remembered exactly. */
export const EXPOSURE_DEDUP_LIMIT = 50_000;

/**
 * Remembers which (flag, variant, context key) exposures were recorded recently, so a
 * context evaluated a thousand times a minute yields one exposure per window. A different
 * variant for the same flag and key is news, and is recorded (and remembered instead).
 *
 * Bounded, and exact up to `limit` live pairs: it holds at most `limit + limit / 16`
 * (flag, key) pairs. When it is full, a pair new to it takes the place of expired ones
 * (a sweep of the table), or, when every pair held is live, is recorded without being
 * remembered: what the table holds stays until its window ends, so past the limit it
 * keeps suppressing as many duplicates as it has room for — however the keys come round
 * (a cycle over more keys than it holds defeats any least-recently-used scheme) — rather
 * than forgetting everything. A key's own expired pairs are replaced in place, full or not.
 * While no more than `limit` pairs are live, a sweep leaves room for a sixteenth of the
 * table at least, so sweeps cost a few steps per pair recorded; past it, the table is
 * swept at most once per sixteenth of the window.
 *
 * Built for the drain loop, where nearly every exposure is a duplicate: keyed by context
 * key first, so the loop looks a key up once (`lookup`) for a run of entries with that key
 * — one request's evaluations of several flags — and checks each of them against what it
 * got (`isDuplicate`, a few comparisons with shared stamps), in line. Nothing is built or
 * allocated for a duplicate: no composite key, no entry.
 */
export class ExposureDedup {
  private readonly byKey = new Map<string, Seen>();
  /** (flag, key) pairs remembered, live or expired (until a sweep or the key reuses them). */
  private entries = 0;
  /** The latest stamp per flag and variant. */
  private readonly stamps = new Map<string, Map<string, Stamp>>();
  /** The most pairs held. */
  private readonly capacity: number;
  /** No sweep before this time: the last one found the table past its limit. */
  private sweepAfter = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly window: number,
    private readonly limit = EXPOSURE_DEDUP_LIMIT,
  ) {
    this.capacity = limit + Math.ceil(limit / 16);
  }

  /** (flag, context key) pairs held, live or expired: never more than `limit + limit / 16`. */
  get size(): number {
    return this.entries;
  }

  /** What the table remembers for a context key: pass it to `isDuplicate`, then to `record` when it is news. */
  lookup(contextKey: string): Seen | undefined {
    return this.byKey.get(contextKey);
  }

  /**
   * Remembers news — a flag new to the key, a new variant, or an expired entry — if there
   * is room. `seen` is what `lookup` (or the last `record`) returned for this key; returns
   * what the key remembers now.
   */
  record(
    flag: string,
    variant: string,
    contextKey: string,
    now: number,
    seen: Seen | undefined,
  ): Seen | undefined {
    if (seen !== undefined && !Array.isArray(seen)) {
      // The key's one flag, or (expired) a slot this flag may take.
      if (seen.flag === flag || seen.until <= now)
        return this.remember(contextKey, this.stamp(flag, variant, now));
    } else if (seen !== undefined) {
      let free = -1;
      for (let i = 0; i < seen.length; i++) {
        const held = seen[i]!;
        if (held.flag === flag) {
          seen[i] = this.stamp(flag, variant, now);
          return seen;
        }
        if (free < 0 && held.until <= now) free = i;
      }
      if (free >= 0) {
        seen[free] = this.stamp(flag, variant, now);
        return seen;
      }
    }
    // A flag this key has not been seen with (lately): one more pair.
    if (this.entries >= this.capacity) {
      // Full of live pairs (as of the last sweep): recorded, not remembered.
      if (now < this.sweepAfter) return seen;
      this.sweep(now);
      // The sweep may have changed what the key remembers (dropped or compacted it).
      seen = this.byKey.get(contextKey);
      if (this.entries >= this.capacity) return seen;
    }
    const stamp = this.stamp(flag, variant, now);
    this.entries++;
    if (seen === undefined) return this.remember(contextKey, stamp);
    if (!Array.isArray(seen)) return this.remember(contextKey, [seen, stamp]);
    seen.push(stamp);
    return seen;
  }

  private remember(contextKey: string, seen: Seen): Seen {
    this.byKey.set(contextKey, seen);
    return seen;
  }

  private stamp(flag: string, variant: string, now: number): Stamp {
    const until = now + this.window;
    let byVariant = this.stamps.get(flag);
    if (byVariant === undefined) {
      byVariant = new Map();
      this.stamps.set(flag, byVariant);
    }
    let stamp = byVariant.get(variant);
    if (stamp === undefined || stamp.until !== until) {
      stamp = new Stamp(flag, variant, until);
      byVariant.set(variant, stamp);
    }
    return stamp;
  }

  /** Forgets the pairs whose window has ended. */
  private sweep(now: number): void {
    for (const [key, seen] of this.byKey) {
      if (!Array.isArray(seen)) {
        if (seen.until <= now) {
          this.byKey.delete(key);
          this.entries--;
        }
        continue;
      }
      let live = 0;
      for (let i = 0; i < seen.length; i++) {
        const stamp = seen[i]!;
        if (stamp.until > now) seen[live++] = stamp;
      }
      this.entries -= seen.length - live;
      if (live === 0) this.byKey.delete(key);
      else if (live === 1) this.byKey.set(key, seen[0]!);
      else seen.length = live;
    }
    this.stamps.clear();
    // Past the limit, most of what is held is live: sweeping again soon would find little.
    this.sweepAfter = this.entries > this.limit ? now + this.window / 16 : Number.NEGATIVE_INFINITY;
  }
}

/**
 * Whether `seen` (what `lookup` or `record` returned for a key) holds `flag`'s `variant`
 * until after `now`: the exposure is a duplicate. Small, so that it is inlined into the
 * drain loop.
 */
export function isDuplicate(seen: Seen | undefined, flag: string, variant: string, now: number): boolean {
  if (seen === undefined) return false;
  if (!Array.isArray(seen)) return seen.flag === flag && seen.variant === variant && seen.until > now;
  for (let i = 0; i < seen.length; i++) {
    const stamp = seen[i]!;
    if (stamp.flag === flag) return stamp.variant === variant && stamp.until > now;
  }
  return false;
}
