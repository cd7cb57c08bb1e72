/** Somewhere to keep a few named texts: files in Node, `localStorage` in browsers. */
export interface TextStorage {
  /** Where the texts are kept, for messages. */
  readonly location: string;
  read(name: string): Promise<string | undefined>;
  /** Replaces the text atomically: a reader sees the old text or the new one, never a mix. */
  write(name: string, text: string): Promise<void>;
  remove(name: string): Promise<void>;
}

/** The part of the Web Storage API (`localStorage`) the cache uses. */
export interface WebStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** A `TextStorage` over a Web Storage object (`localStorage`). */
export function webStorage(storage: WebStorage, prefix = 'vexil:'): TextStorage {
  return {
    location: 'localStorage',
    async read(name) {
      return storage.getItem(prefix + name) ?? undefined;
    },
    async write(name, text) {
      storage.setItem(prefix + name, text);
    },
    async remove(name) {
      storage.removeItem(prefix + name);
    },
  };
}
