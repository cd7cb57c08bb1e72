import { type WebStorage, webStorage } from '../cache/storage.js';
import type { Platform } from './platform.js';

/** Browsers: cache in `localStorage`, events flushed when the page is hidden, no files. */
export const browserPlatform: Platform = {
  name: 'browser',
  defaultUrl: undefined,
  cacheStorage: (options) => {
    const storage = options.storage ?? availableLocalStorage();
    return storage === undefined ? undefined : webStorage(storage);
  },
  eventJournal: () => undefined,
  onPageHide: (fn) => {
    const doc = (globalThis as { document?: PageDocument }).document;
    if (doc === undefined) return () => {};
    const listener = () => {
      if (doc.visibilityState === 'hidden') fn();
    };
    doc.addEventListener('visibilitychange', listener);
    return () => doc.removeEventListener('visibilitychange', listener);
  },
};

/** The part of `document` used to notice the page going away. */
interface PageDocument {
  readonly visibilityState: string;
  addEventListener(type: 'visibilitychange', listener: () => void): void;
  removeEventListener(type: 'visibilitychange', listener: () => void): void;
}

function availableLocalStorage(): WebStorage | undefined {
  try {
    const storage = (globalThis as { localStorage?: WebStorage }).localStorage;
    return storage ?? undefined;
  } catch {
    return undefined; // access denied (sandboxed iframe, disabled storage)
  }
}
