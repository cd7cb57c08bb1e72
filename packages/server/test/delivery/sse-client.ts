/** One Server-Sent Event as a test client saw it. */
export interface SseEvent {
  readonly event: string;
  readonly data: string;
  readonly id: string | undefined;
}

/**
 * A minimal SSE reader on fetch for tests: it keeps every event, `retry` value and
 * comment it receives, and lets a test wait for the next ones.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly retries: number[] = [];
  readonly comments: string[] = [];
  status = 0;
  headers: Headers = new Headers();
  ended = false;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, { headers, signal: client.controller.signal });
    client.status = response.status;
    client.headers = response.headers;
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      client.ended = true;
      return client;
    }
    void client.read(response.body);
    return client;
  }

  /** Waits until `predicate` holds for the events received so far (10 s at most). */
  async until(
    predicate: (events: readonly SseEvent[]) => boolean,
    what = 'the expected events',
  ): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!predicate(this.events)) {
      if (this.ended)
        throw new Error(
          `the stream ended before ${what}: ${JSON.stringify(this.events.map((e) => e.event))}`,
        );
      const remaining = deadline - Date.now();
      if (remaining <= 0)
        throw new Error(`timed out waiting for ${what}: ${JSON.stringify(this.events.map((e) => e.event))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the server closes the stream. */
  async closed(): Promise<void> {
    await this.until(() => this.ended, 'the end of the stream').catch((error: Error) => {
      if (!this.ended) throw error;
    });
  }

  /** The events of one type, data parsed as JSON. */
  data<T = unknown>(event: string): T[] {
    return this.events.filter((e) => e.event === event).map((e) => JSON.parse(e.data) as T);
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let fields: { event?: string; data: string[]; id?: string } = { data: [] };
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline = buffer.indexOf('\n');
        while (newline >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          newline = buffer.indexOf('\n');
          if (line === '') {
            if (fields.data.length > 0)
              this.events.push({
                event: fields.event ?? 'message',
                data: fields.data.join('\n'),
                id: fields.id,
              });
            fields = { data: [] };
            continue;
          }
          if (line.startsWith(':')) {
            this.comments.push(line.slice(1).trim());
            continue;
          }
          const colon = line.indexOf(':');
          const name = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (name === 'data') fields.data.push(value);
          else if (name === 'event') fields.event = value;
          else if (name === 'id') fields.id = value;
          else if (name === 'retry') this.retries.push(Number(value));
        }
        this.wake();
      }
    } catch {
      // aborted by close(), or the connection dropped
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
