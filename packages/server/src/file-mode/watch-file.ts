import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

export interface FileWatcher {
  close(): void;
}

/**
 * Calls `onChange` once the file has stopped changing for `debounceMs`. Watches the
 * folder, not the file, so editors that save by renaming and Kubernetes ConfigMaps (a
 * symlink swapped in the folder) are seen too; a poll every `pollMs` catches file systems
 * that send no events. `onChange` decides whether the content really changed.
 */
export function watchFile(
  path: string,
  options: { onChange: () => void; debounceMs?: number | undefined; pollMs?: number | undefined },
): FileWatcher {
  const file = resolve(path);
  const name = basename(file);
  const debounceMs = options.debounceMs ?? 200;
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      options.onChange();
    }, debounceMs);
  };
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(file), (_event, changedName) => {
      // Any change in the folder may be ours (a symlink swap names another entry).
      if (changedName === null || changedName === name || changedName.startsWith('..')) changed();
    });
    watcher.on('error', () => undefined);
  } catch {
    watcher = undefined;
  }
  const poll = setInterval(changed, options.pollMs ?? 2_000);
  poll.unref();
  return {
    close() {
      watcher?.close();
      clearInterval(poll);
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
