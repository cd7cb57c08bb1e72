/** One Server-Sent Event. */
export interface SseEvent {
  readonly event: string;
  readonly id: string | undefined;
  readonly data: string;
}

/** Reads a Server-Sent Events response; `next(type)` resolves with the next event of that type. */
export function readEvents(response: Response): {
  next(type: string, timeoutMs?: number): Promise<SseEvent>;
  close(): void;
} {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = '';
  let waiting: (() => void) | undefined;
  let closed = false;
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = new Map<string, string>();
          for (const line of block.split('\n')) {
            const colon = line.indexOf(':');
            if (colon <= 0) continue;
            const name = line.slice(0, colon);
            const text = line.slice(colon + 1).replace(/^ /, '');
            fields.set(name, name === 'data' && fields.has('data') ? `${fields.get('data')}\n${text}` : text);
          }
          if (fields.has('data'))
            events.push({
              event: fields.get('event') ?? 'message',
              id: fields.get('id'),
              data: fields.get('data')!,
            });
          waiting?.();
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // closed
    }
    closed = true;
    waiting?.();
  })();
  return {
    async next(type, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex((e) => e.event === type);
        if (index >= 0) return events.splice(0, index + 1).at(-1)!;
        if (closed) throw new Error(`the stream ended before a "${type}" event`);
        if (Date.now() > deadline) throw new Error(`no "${type}" event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiting = resolve;
          setTimeout(resolve, 200);
        });
      }
    },
    close() {
      void reader.cancel().catch(() => undefined);
    },
  };
}
