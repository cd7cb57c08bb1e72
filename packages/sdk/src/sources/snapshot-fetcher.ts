import { VexilError } from '../errors/vexil-error.js';
import type { HttpClient } from '../http/http-client.js';
import type { SourceSink } from './data-source.js';

/**
 * Fetches the server's snapshot (`GET /api/v1/sdk/snapshot`) with `If-None-Match`, and
 * hands new data to the sink. Used by the poll source and by the stream's fallback.
 */
export class SnapshotFetcher {
  private etag: string | undefined;

  constructor(
    private readonly http: HttpClient,
    private readonly sink: SourceSink,
  ) {}

  /** Forgets the ETag, so the next fetch gets the whole snapshot. */
  reset(): void {
    this.etag = undefined;
  }

  readonly fetch = async (signal: AbortSignal): Promise<void> => {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.etag !== undefined) headers['If-None-Match'] = this.etag;
    const response = await this.http.request('/api/v1/sdk/snapshot', { headers, signal });
    if (response.status === 304) return;
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new VexilError('SERVER_ERROR', `the snapshot endpoint answered ${response.status}`, {
        status: response.status,
      });
    }
    let data: unknown;
    try {
      data = await response.json();
    } catch (error) {
      this.sink.error(
        new VexilError('INVALID_FLAG_DATA', `the snapshot is not JSON: ${(error as Error).message}`),
      );
      return;
    }
    const result = this.sink.snapshot(data, 'live');
    // Only remember the tag of data we could use, so bad data is fetched again.
    if (result.status !== 'rejected') this.etag = response.headers.get('etag') ?? undefined;
  };
}
