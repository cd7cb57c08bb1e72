import type { CacheOptions } from '../cache/snapshot-cache.js';
import type { TextStorage } from '../cache/storage.js';
import type { EventJournal } from '../events/journal.js';

/** What differs between Node and browsers. The client itself is the same code. */
export interface Platform {
  readonly name: 'node' | 'browser';
  /** The server URL used when none is given. */
  readonly defaultUrl: string | undefined;
  /** Where the snapshot cache lives, or undefined when there is nowhere to keep it. */
  cacheStorage(options: CacheOptions): TextStorage | undefined;
  /** The crash-safe event journal, or undefined when the platform has none. */
  eventJournal(persist: string | true, sdkKey: string): EventJournal | undefined;
  /** Reads a text file (Node only). */
  readFile?: ((path: string) => Promise<string>) | undefined;
  /** Calls `fn` synchronously when the process exits (Node); returns a function that unregisters it. */
  onExit?: ((fn: () => void) => () => void) | undefined;
  /** Calls `fn` when the page or process is going away; returns a function that unregisters it. */
  onPageHide?: ((fn: () => void) => () => void) | undefined;
}
