/** Waits until `check` returns something truthy (polling every 10 ms), or fails after `timeout`. */
export async function until<T>(check: () => T | Promise<T>, what: string, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Resolves with the next payload of a client event. */
export function next<T>(on: (listener: (payload: T) => void) => () => void): Promise<T> {
  return new Promise((resolve) => {
    const off = on((payload) => {
      off();
      resolve(payload);
    });
  });
}
