/** A variant recorded until a time. Shared by every key recorded with it (a handful are live at once). */
class Stamp {
  constructor(
    readonly variant: string,
    readonly until: number,
  ) {}
}

/**
 * Remembers which (flag, variant, context key) exposures were recorded recently, so a
 * context evaluated a thousand times a minute yields one exposure per window. A different
 * variant for the same flag and key is news, and is recorded (and remembered instead).
 * Bounded: past `maxEntries` it forgets expired entries, then everything.
 *
 * Built for the drain loop, where every evaluation costs one lookup: nested maps (no key
 * string built per exposure), the last flag's map kept at hand, and stamps shared between
 * keys, so checking one touches memory that is already in cache.
 */
export class ExposureDedup {
  // flag → context key → stamp
  private readonly seen = new Map<string, Map<string, Stamp>>();
  private entries = 0;
  private lastFlag: string | undefined;
  private lastByContext: Map<string, Stamp> | undefined;
  /** The latest stamp per variant name. */
  private readonly stamps = new Map<string, Stamp>();

  constructor(
    private readonly window: number,
    private readonly maxEntries = 50_000,
  ) {}

  /** True when this exposure should be recorded now (and remembers it). */
  admit(flag: string, variant: string, contextKey: string, now: number): boolean {
    let byContext = flag === this.lastFlag ? this.lastByContext : this.seen.get(flag);
    if (byContext === undefined) {
      byContext = new Map();
      this.seen.set(flag, byContext);
    }
    this.lastFlag = flag;
    this.lastByContext = byContext;
    const seen = byContext.get(contextKey);
    if (seen !== undefined) {
      if (seen.variant === variant && seen.until > now) return false;
    } else if (this.entries >= this.maxEntries) {
      this.evict(now);
      return this.admit(flag, variant, contextKey, now);
    } else {
      this.entries++;
    }
    byContext.set(contextKey, this.stamp(variant, now + this.window));
    return true;
  }

  private stamp(variant: string, until: number): Stamp {
    let stamp = this.stamps.get(variant);
    if (stamp === undefined || stamp.until !== until) {
      stamp = new Stamp(variant, until);
      this.stamps.set(variant, stamp);
    }
    return stamp;
  }

  private evict(now: number): void {
    this.lastFlag = undefined;
    this.lastByContext = undefined;
    for (const [flag, byContext] of this.seen) {
      for (const [key, stamp] of byContext) {
        if (stamp.until <= now) {
          byContext.delete(key);
          this.entries--;
        }
      }
      if (byContext.size === 0) this.seen.delete(flag);
    }
    if (this.entries >= this.maxEntries) {
      this.seen.clear();
      this.entries = 0;
    }
  }
}
