import { EventSource } from 'eventsource';
import type { FlagPatch } from '../client/flag-store.js';
import { toVexilError, VexilError } from '../errors/vexil-error.js';
import { Backoff, type BackoffOptions } from '../http/backoff.js';
import type { HttpClient } from '../http/http-client.js';
import type { Logger } from '../util/logger.js';
import { setUnrefTimeout } from '../util/timers.js';
import type { DataSource, SourceSink } from './data-source.js';
import { Poller, retryDelay } from './poller.js';
import { SnapshotFetcher } from './snapshot-fetcher.js';

/** Settings of the stream source. */
export interface StreamSourceOptions {
  http: HttpClient;
  baseUrl: string;
  sink: SourceSink;
  logger: Logger;
  retry: BackoffOptions;
  /** Poll interval while the stream is down. */
  pollInterval: number;
  /** Reconnect when nothing (not even a heartbeat) arrived for this long, in ms. */
  idleTimeout: number;
}

/**
 * Server-Sent Events from `GET /api/v1/sdk/stream` (via the `eventsource` package, which
 * runs on `fetch` in Node and browsers). Applies snapshots and patches by version,
 * resumes with `Last-Event-ID`, reconnects with backoff and jitter, and polls the
 * snapshot while the stream is down.
 */
export class StreamSource implements DataSource {
  private source: EventSource | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  private stopped = true;
  private lastError: VexilError | undefined;
  private forceSnapshot = false;
  /** Drops since the stream was last in sync; the poll fallback starts at the second. */
  private drops = 0;
  private readonly backoff: Backoff;
  private readonly fallback: Poller;

  constructor(private readonly options: StreamSourceOptions) {
    this.backoff = new Backoff(options.retry);
    const { sink } = options;
    const fetcher = new SnapshotFetcher(options.http, sink);
    this.fallback = new Poller({
      interval: options.pollInterval,
      retry: options.retry,
      task: fetcher.fetch,
      onSuccess: () => sink.connected(),
      onFailure: (error) => sink.interrupted(error),
      onFatal: (error) => this.fail(error),
    });
  }

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.fallback.stop();
    this.disconnect();
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  /** Fetches the snapshot now (the stream keeps running). */
  refresh(): Promise<void> {
    return this.fallback.runNow();
  }

  private connect(): void {
    if (this.stopped) return;
    this.lastError = undefined;
    let resumed = false;
    const streamFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
      const headers = new Headers(init?.headers);
      headers.delete('Last-Event-ID');
      const version = this.options.sink.version();
      resumed = !this.forceSnapshot && version !== undefined && version > 0;
      if (resumed) headers.set('Last-Event-ID', String(version));
      try {
        return await this.options.http.streamFetch(input, { ...init, headers });
      } catch (error) {
        this.lastError = toVexilError(error, 'NETWORK_ERROR');
        throw error;
      }
    };
    const source = new EventSource(`${this.options.baseUrl}/api/v1/sdk/stream`, { fetch: streamFetch });
    this.source = source;
    source.addEventListener('open', () => {
      this.touch();
      if (resumed) this.inSync();
    });
    source.addEventListener('snapshot', (event) => this.onSnapshot(event.data));
    source.addEventListener('patch', (event) => this.onPatch(event.data));
    source.addEventListener('heartbeat', (event) => this.onHeartbeat(event.data));
    source.addEventListener('error', (event) => {
      if (this.source !== source) return;
      const status = (event as { code?: number }).code;
      const message = (event as { message?: string }).message ?? 'stream closed';
      this.onDrop(this.lastError ?? dropError(status, message));
    });
  }

  private onSnapshot(data: string): void {
    this.touch();
    const parsed = parseJson(data);
    if (parsed === undefined) {
      this.reject('a stream snapshot is not JSON');
      return;
    }
    const result = this.options.sink.snapshot(parsed, 'live');
    if (result.status === 'rejected') {
      this.reject(result.error.message);
      return;
    }
    this.forceSnapshot = false;
    this.inSync();
  }

  private onPatch(data: string): void {
    this.touch();
    const parsed = parseJson(data) as FlagPatch | undefined;
    if (parsed === undefined || typeof parsed !== 'object') {
      this.reject('a stream patch is not JSON');
      return;
    }
    const result = this.options.sink.patch(parsed);
    if (result.status === 'gap') {
      this.options.logger.debug('patch does not follow the version held; reconnecting to catch up');
      this.reconnect(0);
    } else if (result.status === 'rejected') {
      this.reject(result.error.message);
    }
  }

  private onHeartbeat(data: string): void {
    this.touch();
    const version = (parseJson(data) as { version?: unknown } | undefined)?.version;
    const held = this.options.sink.version();
    if (typeof version === 'number' && held !== undefined && version > held) {
      this.options.logger.debug(
        `heartbeat says version ${version}, we hold ${held}; reconnecting to catch up`,
      );
      this.reconnect(0);
    }
  }

  /** The stream delivered data we can't use: report it and get a fresh snapshot after a pause. */
  private reject(message: string): void {
    this.options.sink.error(new VexilError('INVALID_FLAG_DATA', message));
    this.forceSnapshot = true;
    this.reconnect(this.backoff.next());
  }

  private inSync(): void {
    this.drops = 0;
    this.backoff.reset();
    this.fallback.stop();
    this.options.sink.connected();
  }

  private onDrop(error: VexilError): void {
    this.disconnect();
    if (this.stopped) return;
    if (error.code === 'AUTH_FAILED') {
      this.fail(error);
      return;
    }
    this.options.sink.interrupted(error);
    // One drop is usually a blip (a deploy, a proxy timeout): resuming the stream catches up.
    if (++this.drops >= 2 && !this.fallback.isActive) this.fallback.start();
    this.reconnect(retryDelay(error, this.backoff));
  }

  private fail(error: VexilError): void {
    this.stop();
    this.options.sink.failed(error);
  }

  private reconnect(delay: number): void {
    this.disconnect();
    if (this.stopped) return;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setUnrefTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  private disconnect(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const source = this.source;
    this.source = undefined;
    source?.close();
  }

  private touch(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = setUnrefTimeout(() => {
      this.options.logger.debug(`no data on the stream for ${this.options.idleTimeout} ms; reconnecting`);
      this.onDrop(new VexilError('NETWORK_ERROR', 'the stream went silent (no heartbeat)'));
    }, this.options.idleTimeout);
  }
}

function dropError(status: number | undefined, message: string): VexilError {
  if (status !== undefined && status >= 400) {
    return new VexilError('SERVER_ERROR', `the stream endpoint answered ${status}: ${message}`, { status });
  }
  return new VexilError('NETWORK_ERROR', `the stream was interrupted: ${message}`);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
