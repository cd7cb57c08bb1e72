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
type Seen = Stamp | Stamp[];

/**
 * Remembers which (flag, variant, context key) exposures were recorded recently, so a
 * context evaluated a thousand times a minute yields one exposure per window. A different
 * variant for the same flag and key is news, and is recorded (and remembered instead).
 * Bounded: past `maxEntries` (flag, key) pairs it forgets expired entries, then everything.
 *
 * Built for the drain loop, where nearly every exposure is a duplicate and costs one
 * check: keyed by context key first, so one request's evaluations of many flags (one key,
 * in a row in the ring) look the key up once rather than once per flag, then compare a few
 * shared stamps. Nothing is built or allocated for a duplicate: no composite key, no entry.
 */
export class ExposureDedup {
  private readonly byKey = new Map<string, Seen>();
  /** (flag, key) pairs remembered. */
  private entries = 0;
  /** What the key of the last call remembers (kept in step with `byKey`). */
  private lastSeen: Seen | undefined;
  /** The latest stamp per flag and variant. */
  private readonly stamps = new Map<string, Map<string, Stamp>>();

  constructor(
    private readonly window: number,
    private readonly maxEntries = 50_000,
  ) {}

  /**
   * True when this exposure should be recorded now (and remembers it). `sameKey`: the last
   * call was for this context key too (the caller knows it without comparing strings again),
   * so the key is not looked up. Small, so that it is inlined into the drain loop: a
   * duplicate returns here; news goes on to `record`.
   */
  admit(flag: string, variant: string, contextKey: string, now: number, sameKey = false): boolean {
    const seen = sameKey ? this.lastSeen : this.byKey.get(contextKey);
    this.lastSeen = seen;
    if (seen !== undefined) {
      if (!Array.isArray(seen)) {
        if (seen.flag === flag && seen.variant === variant && seen.until > now) return false;
      } else {
        for (let i = 0; i < seen.length; i++) {
          const stamp = seen[i]!;
          if (stamp.flag !== flag) continue;
          if (stamp.variant === variant && stamp.until > now) return false;
          break;
        }
      }
    }
    return this.record(flag, variant, contextKey, now, seen);
  }

  /** Remembers news: a flag new to the key, a new variant, or an expired entry. */
  private record(
    flag: string,
    variant: string,
    contextKey: string,
    now: number,
    seen: Seen | undefined,
  ): true {
    const stamp = this.stamp(flag, variant, now);
    if (seen !== undefined && !Array.isArray(seen)) {
      // The key's one flag, or (expired) a slot this flag may take.
      if (seen.flag === flag || seen.until <= now) {
        this.remember(contextKey, stamp);
        return true;
      }
    } else if (seen !== undefined) {
      let free = -1;
      for (let i = 0; i < seen.length; i++) {
        const held = seen[i]!;
        if (held.flag === flag) {
          seen[i] = stamp;
          return true;
        }
        if (free < 0 && held.until <= now) free = i;
      }
      if (free >= 0) {
        seen[free] = stamp;
        return true;
      }
    }
    // A flag this key has not been seen with (lately).
    if (this.entries >= this.maxEntries) {
      this.evict(now);
      const left = this.byKey.get(contextKey); // eviction changed the table
      this.lastSeen = left;
      return this.record(flag, variant, contextKey, now, left);
    }
    this.entries++;
    if (seen === undefined) this.remember(contextKey, stamp);
    else if (!Array.isArray(seen)) this.remember(contextKey, [seen, stamp]);
    else seen.push(stamp);
    return true;
  }

  private remember(contextKey: string, seen: Seen): void {
    this.byKey.set(contextKey, seen);
    this.lastSeen = seen;
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

  private evict(now: number): void {
    this.lastSeen = undefined;
    for (const [key, seen] of this.byKey) {
      if (!Array.isArray(seen)) {
        if (seen.until <= now) {
          this.byKey.delete(key);
          this.entries--;
        }
        continue;
      }
      const live = seen.filter((stamp) => stamp.until > now);
      this.entries -= seen.length - live.length;
      if (live.length === 0) this.byKey.delete(key);
      else if (live.length === 1) this.byKey.set(key, live[0]!);
      else if (live.length < seen.length) this.byKey.set(key, live);
    }
    if (this.entries >= this.maxEntries) {
      this.byKey.clear();
      this.entries = 0;
    }
    this.stamps.clear();
  }
}
