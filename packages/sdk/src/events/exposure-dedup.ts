/**
 * Remembers which (flag, variant, context key) exposures were recorded recently, so a
 * context evaluated a thousand times a minute yields one exposure per window.
 * Bounded: past `maxEntries` it forgets expired entries, then everything.
 */
export class ExposureDedup {
  // flag → context key → variant and expiry: nested maps avoid building a string per evaluation.
  private readonly seen = new Map<string, Map<string, { variant: string; until: number }>>();
  private entries = 0;

  constructor(
    private readonly window: number,
    private readonly maxEntries = 50_000,
  ) {}

  /** True when this exposure should be recorded now (and remembers it). */
  admit(flag: string, variant: string, contextKey: string, now: number): boolean {
    let byContext = this.seen.get(flag);
    if (byContext === undefined) {
      byContext = new Map();
      this.seen.set(flag, byContext);
    }
    const entry = byContext.get(contextKey);
    if (entry !== undefined) {
      if (entry.variant === variant && entry.until > now) return false;
      entry.variant = variant;
      entry.until = now + this.window;
      return true;
    }
    if (this.entries >= this.maxEntries) this.evict(now);
    byContext.set(contextKey, { variant, until: now + this.window });
    this.entries++;
    return true;
  }

  private evict(now: number): void {
    for (const [flag, byContext] of this.seen) {
      for (const [key, entry] of byContext) {
        if (entry.until <= now) {
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
