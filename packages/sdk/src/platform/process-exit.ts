const callbacks = new Set<() => void>();

function runAll(): void {
  for (const fn of callbacks) {
    try {
      fn();
    } catch {
      // The process is exiting: nobody is left to tell, and the others must still run.
    }
  }
}

/**
 * Calls `fn` synchronously when the Node process exits normally or through
 * `process.exit()` (not on SIGKILL or a crash of the runtime). One process listener for
 * every client, removed when the last one unregisters.
 */
export function onProcessExit(fn: () => void): () => void {
  if (callbacks.size === 0) process.on('exit', runAll);
  callbacks.add(fn);
  return () => {
    if (!callbacks.delete(fn)) return;
    if (callbacks.size === 0) process.off('exit', runAll);
  };
}
