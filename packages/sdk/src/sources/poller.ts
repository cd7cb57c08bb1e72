import { toVexilError, type VexilError } from '../errors/vexil-error.js';
import { Backoff, type BackoffOptions, withJitter } from '../http/backoff.js';
import { setUnrefTimeout } from '../util/timers.js';

/** What a poller runs and whom it tells. */
export interface PollerOptions {
  /** Milliseconds between successful runs (jittered by ±10 %). */
  interval: number;
  retry: BackoffOptions;
  /** One run; throws a `VexilError` when it fails. */
  task: (signal: AbortSignal) => Promise<void>;
  onSuccess: () => void;
  onFailure: (error: VexilError) => void;
  /** A failure that must stop the poller (refused key). */
  onFatal: (error: VexilError) => void;
}

/**
 * Runs a task now and then again every interval (with jitter). Failures back off
 * exponentially (with jitter), honour `Retry-After` and the circuit breaker's wait;
 * a refused key stops the poller.
 */
export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private controller: AbortController | undefined;
  private running: Promise<void> | undefined;
  private active = false;
  private readonly backoff: Backoff;

  constructor(private readonly options: PollerOptions) {
    this.backoff = new Backoff(options.retry);
  }

  get isActive(): boolean {
    return this.active;
  }

  /** Starts polling; the first run happens after `delay` ms (default at once). */
  start(delay = 0): void {
    if (this.active) return;
    this.active = true;
    this.controller = new AbortController();
    this.backoff.reset();
    this.schedule(delay);
  }

  stop(): void {
    this.active = false;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.controller?.abort();
  }

  /** Runs the task now (or waits for the run in progress). */
  runNow(): Promise<void> {
    if (this.running !== undefined) return this.running;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.running = this.run().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(delay: number): void {
    if (!this.active) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setUnrefTimeout(() => {
      this.timer = undefined;
      this.runNow().catch(() => {});
    }, delay);
  }

  private async run(): Promise<void> {
    const controller = this.active && this.controller !== undefined ? this.controller : new AbortController();
    try {
      await this.options.task(controller.signal);
      if (controller.signal.aborted) return;
      this.backoff.reset();
      this.options.onSuccess();
      this.schedule(withJitter(this.options.interval));
    } catch (thrown) {
      if (controller.signal.aborted) return;
      const error = toVexilError(thrown, 'NETWORK_ERROR');
      if (error.code === 'AUTH_FAILED') {
        this.stop();
        this.options.onFatal(error);
        return;
      }
      this.options.onFailure(error);
      this.schedule(retryDelay(error, this.backoff));
    }
  }
}

/** How long to wait after a failure: what the server or breaker asked for, else the backoff. */
export function retryDelay(error: VexilError, backoff: Backoff): number {
  if (error.retryAfter !== undefined) return Math.max(error.retryAfter, 100);
  return backoff.next();
}
