import { murmur3 } from '@vexil/core';
import { SnapshotCache } from '../cache/snapshot-cache.js';
import { VexilError } from '../errors/vexil-error.js';
import type { Platform } from '../platform/platform.js';
import type { FlagStore } from './flag-store.js';
import type { ResolvedOptions } from './options.js';

const WEEK = 7 * 24 * 3600 * 1000;

/**
 * Keeps the store's last good live data in the snapshot cache: one write at a time, the
 * last one winning. The cache file is named after a hash of the source, URL and key, so
 * clients of different environments never share one, and the key never appears in it.
 */
export class CacheKeeper {
  private saving: Promise<void> | undefined;
  private again = false;

  private constructor(
    private readonly cache: SnapshotCache,
    private readonly store: FlagStore,
  ) {}

  /** A keeper for the configured cache, or undefined when caching is off or impossible here. */
  static create(
    options: ResolvedOptions,
    platform: Platform,
    store: FlagStore,
    onError: (error: VexilError) => void,
  ): CacheKeeper | undefined {
    if (options.cache === undefined) return undefined;
    const storage = platform.cacheStorage(options.cache);
    if (storage === undefined) return undefined;
    const identity = `${options.source}|${options.url ?? ''}|${options.bucket?.url ?? ''}|${options.sdkKey ?? ''}`;
    const name = `flags-${murmur3(identity, 1).toString(16)}${murmur3(identity, 2).toString(16)}.json`;
    const encrypt = options.cache.encrypt;
    const secret = typeof encrypt === 'string' ? encrypt : encrypt === true ? options.sdkKey : undefined;
    if (encrypt === true && secret === undefined) {
      throw new VexilError(
        'INVALID_OPTIONS',
        'cache.encrypt: true needs an sdkKey to derive the key from; pass a secret instead',
      );
    }
    const cache = new SnapshotCache(storage, name, options.cache.ttl ?? WEEK, secret, onError);
    return new CacheKeeper(cache, store);
  }

  /** The cached flag data, if any is usable. */
  load() {
    return this.cache.load();
  }

  /** Saves what the store holds now (coalescing saves requested while one is running). */
  save(): void {
    if (this.saving !== undefined) {
      this.again = true;
      return;
    }
    this.saving = this.run();
  }

  /** Resolves when no save is running. */
  async idle(): Promise<void> {
    await this.saving;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      const held = this.store.held;
      if (held.kind === 'flags') await this.cache.save(held.flagSet.definition, held.version);
    } while (this.again);
    this.saving = undefined;
  }
}
