import { toVexilError, type VexilError } from '../errors/vexil-error.js';
import type { WebCryptoKey } from '../security/web-crypto.js';
import { deriveCacheKey, open, type Sealed, seal } from './encryption.js';
import type { TextStorage, WebStorage } from './storage.js';

/** Settings for the cache of the last good snapshot. */
export interface CacheOptions {
  /** How long a cached snapshot may be used, in ms (default 7 days). */
  ttl?: number;
  /**
   * Encrypt the cache with AES-256-GCM. `true` derives the key from the SDK key; a
   * string is used as the secret instead (give it the strength of a key).
   */
  encrypt?: boolean | string;
  /** Node: the directory for the cache file (default `<os tmpdir>/vexil-sdk`). */
  dir?: string;
  /** Browsers: the Web Storage to use (default `localStorage`). */
  storage?: WebStorage;
}

/** A snapshot as the cache gives it back. */
export interface CachedSnapshot {
  /** The flag set JSON, as it was received. */
  data: unknown;
  version: number;
  savedAt: number;
}

interface CacheRecord {
  format: 'vexil-cache/1';
  savedAt?: number;
  version?: number;
  data?: unknown;
  sealed?: Sealed;
}

/** Keeps the last good snapshot, with a TTL and optional encryption. Never throws. */
export class SnapshotCache {
  private readonly key: Promise<WebCryptoKey> | undefined;

  constructor(
    private readonly storage: TextStorage,
    private readonly name: string,
    private readonly ttl: number,
    secret: string | undefined,
    private readonly onError: (error: VexilError) => void,
  ) {
    this.key = secret === undefined ? undefined : deriveCacheKey(secret);
    this.key?.catch(() => {});
  }

  /** The cached snapshot, unless there is none, it expired, or it can't be read. */
  async load(now: number = Date.now()): Promise<CachedSnapshot | undefined> {
    try {
      const text = await this.storage.read(this.name);
      if (text === undefined) return undefined;
      const record = JSON.parse(text) as CacheRecord;
      if (record.format !== 'vexil-cache/1') return undefined;
      let body: CacheRecord = record;
      if (record.sealed !== undefined) {
        if (this.key === undefined) return undefined;
        body = JSON.parse(await open(await this.key, record.sealed)) as CacheRecord;
      } else if (this.key !== undefined) {
        return undefined; // plain data where encryption is required: ignore it
      }
      if (typeof body.savedAt !== 'number' || typeof body.version !== 'number' || body.data === undefined) {
        return undefined;
      }
      if (now - body.savedAt > this.ttl) return undefined;
      return { data: body.data, version: body.version, savedAt: body.savedAt };
    } catch (error) {
      this.onError(toVexilError(error, 'CACHE_ERROR'));
      return undefined;
    }
  }

  /** Saves a snapshot (replacing the previous one atomically). */
  async save(data: unknown, version: number, now: number = Date.now()): Promise<void> {
    try {
      const body = { format: 'vexil-cache/1' as const, savedAt: now, version, data };
      const record: CacheRecord =
        this.key === undefined
          ? body
          : { format: 'vexil-cache/1', sealed: await seal(await this.key, JSON.stringify(body)) };
      await this.storage.write(this.name, JSON.stringify(record));
    } catch (error) {
      this.onError(toVexilError(error, 'CACHE_ERROR'));
    }
  }
}
