/** One Server-Sent Event as received. */
export interface SseEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

export interface SseSubscription {
  readonly events: SseEvent[];
  /** Resolves with the first event (already received or to come) that `match` accepts. */
  next(match: (e: SseEvent) => boolean, what: string, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
}

/** Subscribes to an SSE URL with fetch and parses the frames (a test client, no reconnects). */
export async function subscribe(url: string, key: string): Promise<SseSubscription> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${key}` }, signal: abort.signal });
  if (response.status !== 200 || response.body === null) {
    throw new Error(`stream ${url} answered ${response.status}: ${await response.text()}`);
  }
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  let ended: Error | undefined;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields: Record<string, string> = {};
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) continue;
            const colon = line.indexOf(':');
            if (colon < 0) continue;
            fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
          }
          if (fields.data !== undefined)
            events.push({ event: fields.event ?? 'message', id: fields.id, data: fields.data });
          for (const w of waiters) w();
          end = buffer.indexOf('\n\n');
        }
      }
      ended = new Error('the stream ended');
    } catch (error) {
      ended = error as Error;
    }
    for (const w of waiters) w();
  })();
  return {
    events,
    next(match, what, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no ${what} within ${timeoutMs} ms; got ${events.map((e) => `${e.event}#${e.id}`).join(', ')}`,
            ),
          );
        }, timeoutMs);
        const check = () => {
          const found = events.find(match);
          if (found !== undefined || ended !== undefined) {
            clearTimeout(timer);
            waiters.delete(check);
            if (found !== undefined) resolve(found);
            else reject(new Error(`the stream ended before ${what}: ${ended?.message}`));
          }
        };
        waiters.add(check);
        check();
      });
    },
    close() {
      abort.abort();
    },
  };
}
