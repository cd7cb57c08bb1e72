import { VexilError } from '../errors/vexil-error.js';
import type { BackoffOptions } from '../http/backoff.js';
import type { HttpClient } from '../http/http-client.js';
import type { DataSource, SourceSink } from './data-source.js';
import { Poller } from './poller.js';
import type { FlagDataVerifier } from './verifier.js';

/** A request about to go to a bucket; a signing hook may change its URL and headers. */
export interface BucketRequest {
  url: string;
  method: 'GET';
  headers: Record<string, string>;
}

/** Where the bucket is and how to read it. */
export interface BucketOptions {
  /**
   * The bucket (or directory) URL: `https://my-bucket.s3.eu-west-1.amazonaws.com/vexil`,
   * `http://127.0.0.1:4569/flags`, a CDN URL … The SDK reads
   * `{url}/flags-{environment}-{scope}.json`; a URL ending in `.json` is used as it is
   * (for example a pre-signed URL).
   */
  url: string;
  /** The environment whose file to read (the bucket has no key to imply it). */
  environment?: string;
  /** `server` (default) or `client`. */
  scope?: 'server' | 'client';
  /**
   * Signs each request (AWS SigV4 for a private S3 bucket, a CDN token …). Runs before
   * every GET; return the request to send. The SDK itself has no cloud dependency.
   */
  signRequest?: (request: BucketRequest) => BucketRequest | Promise<BucketRequest>;
}

/** The URL of the flag file for a bucket configuration. */
export function bucketFileUrl(options: BucketOptions): string {
  if (/\.json(\?.*)?$/.test(options.url)) return options.url;
  if (options.environment === undefined) {
    throw new VexilError(
      'INVALID_OPTIONS',
      'bucket.environment is required unless bucket.url names the .json file',
    );
  }
  const base = options.url.replace(/\/+$/, '');
  return `${base}/flags-${options.environment}-${options.scope ?? 'server'}.json`;
}

/**
 * Reads `flags-{environment}-{scope}.json` from an S3-compatible bucket or any HTTP URL
 * (FlagDrop's model), with `ETag`, verifying the server's signature, every `interval`.
 */
export class BucketSource implements DataSource {
  private readonly poller: Poller;
  private etag: string | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly url: string,
    private readonly sink: SourceSink,
    private readonly verifier: FlagDataVerifier,
    interval: number,
    retry: BackoffOptions,
  ) {
    this.poller = new Poller({
      interval,
      retry,
      task: (signal) => this.fetch(signal),
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

  private async fetch(signal: AbortSignal): Promise<void> {
    const headers: Record<string, string> = {};
    if (this.etag !== undefined) headers['If-None-Match'] = this.etag;
    const response = await this.http.request(this.url, { headers, signal });
    if (response.status === 304) return;
    const text = await response.text();
    if (!response.ok) {
      const hint =
        response.status === 401 || response.status === 403
          ? ': make the object readable, or configure bucket.signRequest or a pre-signed URL'
          : response.status === 404
            ? ': nothing published there yet?'
            : '';
      throw new VexilError('SERVER_ERROR', `the bucket answered ${response.status} for ${this.url}${hint}`, {
        status: response.status,
      });
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new VexilError('INVALID_FLAG_DATA', `the bucket file is not JSON: ${(error as Error).message}`);
    }
    // A file that fails verification counts as a failed fetch: the last good flags keep being served.
    const payload = await this.verifier.verify(data, 'bucket file');
    const result = this.sink.snapshot(payload, 'live');
    if (result.status === 'rejected') throw result.error;
    this.etag = response.headers.get('etag') ?? undefined;
  }
}
