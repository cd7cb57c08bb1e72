import type { ApiKeyRecord } from '../../stores/types.js';

const MAX_ENTRIES = 10_000;

/** Keys looked up recently, by hash (null: no such key), each trusted for `ttlMs`. */
export class KeyCache {
  private readonly entries = new Map<string, { record: ApiKeyRecord | null; at: number }>();

  constructor(private readonly ttlMs: number) {}

  get(hash: string, now: number): ApiKeyRecord | null | undefined {
    const entry = this.entries.get(hash);
    if (entry === undefined || now - entry.at >= this.ttlMs) return undefined;
    return entry.record;
  }

  set(hash: string, record: ApiKeyRecord | null, now: number): void {
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(hash, { record, at: now });
  }

  clear(): void {
    this.entries.clear();
  }
}
