import type { ApiKeyRecord } from '../../stores/types.js';

const MAX_ENTRIES = 10_000;

interface Entry {
  readonly record: ApiKeyRecord | null;
  readonly at: number;
}

/**
 * Keys looked up recently (null: no such key), each trusted for `ttlMs`. Entries are found
 * by the secret presented, so that a hit costs a map lookup and no hash (it runs on every
 * request). Secrets are not kept longer than needed: entries go in generations of `ttlMs`,
 * and a generation is dropped once everything in it has expired.
 */
export class KeyCache {
  private current = new Map<string, Entry>();
  private previous = new Map<string, Entry>();
  private generationStart = Number.NEGATIVE_INFINITY;

  constructor(private readonly ttlMs: number) {}

  get(secret: string, now: number): ApiKeyRecord | null | undefined {
    this.age(now);
    let entry = this.current.get(secret);
    if (entry === undefined) {
      entry = this.previous.get(secret);
      if (entry === undefined || now - entry.at >= this.ttlMs) return undefined;
      this.current.set(secret, entry);
      return entry.record;
    }
    return now - entry.at >= this.ttlMs ? undefined : entry.record;
  }

  set(secret: string, record: ApiKeyRecord | null, now: number): void {
    this.age(now);
    if (this.current.size >= MAX_ENTRIES) this.current.clear();
    this.current.set(secret, { record, at: now });
  }

  clear(): void {
    this.current.clear();
    this.previous.clear();
  }

  /** Starts a new generation every `ttlMs`; the one before the last holds only expired entries. */
  private age(now: number): void {
    if (now - this.generationStart < this.ttlMs) return;
    this.previous = this.current;
    this.current = new Map();
    this.generationStart = now;
  }
}
