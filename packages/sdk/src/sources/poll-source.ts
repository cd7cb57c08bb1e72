import type { BackoffOptions } from '../http/backoff.js';
import type { HttpClient } from '../http/http-client.js';
import type { DataSource, SourceSink } from './data-source.js';
import { Poller } from './poller.js';
import { SnapshotFetcher } from './snapshot-fetcher.js';

/** Polls the snapshot endpoint every `interval` (with jitter), using `ETag`. */
export class PollSource implements DataSource {
  private readonly poller: Poller;

  constructor(http: HttpClient, sink: SourceSink, interval: number, retry: BackoffOptions) {
    const fetcher = new SnapshotFetcher(http, sink);
    this.poller = new Poller({
      interval,
      retry,
      task: fetcher.fetch,
      onSuccess: () => sink.connected(),
      onFailure: (error) => sink.interrupted(error),
      onFatal: (error) => sink.failed(error),
    });
  }

  start(): void {
    this.poller.start();
  }

  stop(): void {
    this.poller.stop();
  }

  refresh(): Promise<void> {
    return this.poller.runNow();
  }
}
