import { webStorage } from '../cache/storage.js';
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
    const doc = (globalThis as { document?: Document }).document;
    if (doc === undefined) return () => {};
    const listener = () => {
      if (doc.visibilityState === 'hidden') fn();
    };
    doc.addEventListener('visibilitychange', listener);
    return () => doc.removeEventListener('visibilitychange', listener);
  },
};

function availableLocalStorage(): Storage | undefined {
  try {
    const storage = (globalThis as { localStorage?: Storage }).localStorage;
    return storage ?? undefined;
  } catch {
    return undefined; // access denied (sandboxed iframe, disabled storage)
  }
}
