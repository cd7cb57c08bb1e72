import { VexilError } from '../errors/vexil-error.js';
import type { BackoffOptions } from '../http/backoff.js';
import type { DataSource, SourceSink } from './data-source.js';
import { Poller } from './poller.js';
import type { FlagDataVerifier } from './verifier.js';

/**
 * Flags from a file (a flag set, or a signed envelope): no network at all. With `watch`,
 * the file is read again every interval and used when its content changed.
 */
export class FileSource implements DataSource {
  private readonly poller: Poller;
  private lastText: string | undefined;

  constructor(
    private readonly path: string,
    private readonly readText: (path: string) => Promise<string>,
    private readonly sink: SourceSink,
    private readonly verifier: FlagDataVerifier,
    private readonly watch: boolean,
    interval: number,
    retry: BackoffOptions,
  ) {
    this.poller = new Poller({
      interval,
      retry,
      task: () => this.read(),
      onSuccess: () => {
        sink.connected();
        if (!this.watch) this.poller.stop();
      },
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

  private async read(): Promise<void> {
    let text: string;
    try {
      text = await this.readText(this.path);
    } catch (error) {
      throw new VexilError(
        'INVALID_OPTIONS',
        `could not read the flag file ${this.path}: ${(error as Error).message}`,
      );
    }
    if (text === this.lastText) return;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw new VexilError(
        'INVALID_FLAG_DATA',
        `the flag file ${this.path} is not JSON: ${(error as Error).message}`,
      );
    }
    const payload = await this.verifier.verify(data, `flag file ${this.path}`);
    const result = this.sink.snapshot(payload, 'file');
    if (result.status === 'rejected') throw result.error;
    this.lastText = text;
  }
}
