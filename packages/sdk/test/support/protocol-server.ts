import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request the fixture saw. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** When it arrived (ms since the epoch). */
  at: number;
  body: string;
}

/** What an override answers instead of the fixture's normal behaviour. */
export interface Override {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

/**
 * A protocol-level fixture: a small HTTP server speaking docs/protocol.md (snapshot with
 * ETag, SSE stream with snapshot/patch/heartbeat and Last-Event-ID resume, idempotent
 * events). It exists for behaviour a real server can't easily be made to show (429s,
 * 5xx storms, malformed data); the real-server tests live in real-server.test.ts.
 */
export class ProtocolServer {
  readonly requests: SeenRequest[] = [];
  /** Stored event batches by id (what the server "stored"). */
  readonly batches = new Map<string, { events: unknown[] }>();
  /** Keys the server accepts. */
  readonly keys = new Set<string>(['vx_server_test']);
  /** Answer requests with this instead (return undefined to behave normally). */
  override: ((req: IncomingMessage, path: string) => Override | undefined) | undefined;
  /** Event batches to store and then answer with 503, as if the answer got lost. */
  loseEventAnswers = 0;
  private flagSet: Record<string, unknown>;
  private readonly patches: Array<{
    version: number;
    previousVersion: number;
    flags: Record<string, unknown>;
  }> = [];
  private readonly streams = new Set<ServerResponse>();
  private server: Server | undefined;
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  url = '';

  constructor(flagSet: Record<string, unknown>) {
    this.flagSet = flagSet;
  }

  get version(): number {
    return this.flagSet.version as number;
  }

  async start(port = 0, heartbeatMs = 0): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    const address = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${address.port}`;
    if (heartbeatMs > 0) {
      this.heartbeatTimer = setInterval(
        () => this.broadcast('heartbeat', undefined, { version: this.version }),
        heartbeatMs,
      );
    }
    return this;
  }

  async stop(): Promise<void> {
    if (this.heartbeatTimer !== undefined) clearInterval(this.heartbeatTimer);
    this.dropStreams();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  /** Changes flags: bumps the version and pushes a patch to every open stream. */
  change(flags: Record<string, unknown>): number {
    const previousVersion = this.version;
    const version = previousVersion + 1;
    const next = { ...(this.flagSet.flags as Record<string, unknown>) };
    for (const [key, flag] of Object.entries(flags)) {
      if (flag === null) delete next[key];
      else next[key] = flag;
    }
    this.flagSet = { ...this.flagSet, version, flags: next };
    const patch = { version, previousVersion, flags };
    this.patches.push(patch);
    this.broadcast('patch', version, patch);
    return version;
  }

  /** Sends raw SSE text to every open stream (for malformed-data tests). */
  sendRaw(text: string): void {
    for (const res of this.streams) res.write(text);
  }

  /** Closes every open stream from the server side. */
  dropStreams(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
  }

  get openStreams(): number {
    return this.streams.size;
  }

  /** Requests to a path. */
  seen(path: string): SeenRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private broadcast(event: string, id: number | undefined, data: unknown): void {
    for (const res of this.streams) res.write(sse(event, id, data));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    // CORS, so a page on another origin (the browser test) can use the fixture.
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Expose-Headers', 'ETag, Retry-After, X-Vexil-Version');
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': 'GET, POST',
        'Access-Control-Allow-Headers':
          'Authorization, Content-Type, Last-Event-ID, If-None-Match, Cache-Control',
      });
      res.end();
      return;
    }
    const seen: SeenRequest = {
      method: req.method ?? 'GET',
      path,
      headers: req.headers,
      at: Date.now(),
      body: '',
    };
    this.requests.push(seen);
    const body = await readBody(req);
    seen.body = body;
    const override = this.override?.(req, path);
    if (override !== undefined) {
      res.writeHead(override.status, override.headers ?? {});
      res.end(override.body ?? '');
      return;
    }
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '');
    if (!this.keys.has(key)) {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: 'unauthorized', message: 'unknown or revoked key' }));
      return;
    }
    if (path === '/api/v1/sdk/snapshot') return this.snapshot(req, res);
    if (path === '/api/v1/sdk/stream') return this.stream(req, res);
    if (path === '/api/v1/events' && req.method === 'POST') return this.events(body, res);
    res.writeHead(404).end();
  }

  private snapshot(req: IncomingMessage, res: ServerResponse): void {
    const etag = `"server-${this.version}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': 'application/json',
      ETag: etag,
      'X-Vexil-Version': String(this.version),
    });
    res.end(JSON.stringify(this.flagSet));
  }

  private stream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
    res.write('retry: 1000\n\n');
    const last = Number(req.headers['last-event-id']);
    const after = this.patches.filter((p) => p.version > last);
    const complete = Number.isInteger(last) && (last === this.version || after[0]?.previousVersion === last);
    if (complete) for (const patch of after) res.write(sse('patch', patch.version, patch));
    else res.write(sse('snapshot', this.version, this.flagSet));
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }

  private events(body: string, res: ServerResponse): void {
    let batch: { batchId?: string; events?: unknown[] };
    try {
      batch = JSON.parse(body);
    } catch {
      res.writeHead(400).end(JSON.stringify({ message: 'body: invalid JSON' }));
      return;
    }
    if (typeof batch.batchId !== 'string' || !Array.isArray(batch.events)) {
      res.writeHead(400).end(JSON.stringify({ message: 'batchId and events are required' }));
      return;
    }
    const duplicate = this.batches.has(batch.batchId);
    if (!duplicate) this.batches.set(batch.batchId, { events: batch.events });
    if (this.loseEventAnswers > 0) {
      this.loseEventAnswers--;
      res.writeHead(503).end();
      return;
    }
    res.writeHead(202, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ accepted: batch.events.length, duplicate }));
  }

  /** Every event stored, across batches. */
  storedEvents(): Array<Record<string, unknown>> {
    return [...this.batches.values()].flatMap((b) => b.events as Array<Record<string, unknown>>);
  }
}

function sse(event: string, id: number | undefined, data: unknown): string {
  return `event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      text += chunk;
    });
    req.on('end', () => resolve(text));
    req.on('error', () => resolve(text));
  });
}
