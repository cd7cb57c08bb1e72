/** Settings for the circuit breaker. */
export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit (default 5). */
  failureThreshold?: number;
  /** How long the circuit stays open before one probe request is let through, in ms (default 30 000). */
  resetTimeout?: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * Stops hammering a dead server: after `failureThreshold` consecutive failures, requests
 * fail fast for `resetTimeout`; then a single probe is let through. Its success closes
 * the circuit, its failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private probing = false;
  private current: CircuitState = 'closed';
  private readonly threshold: number;
  private readonly resetTimeout: number;

  constructor(
    options: CircuitBreakerOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.threshold = Math.max(1, options.failureThreshold ?? 5);
    this.resetTimeout = Math.max(0, options.resetTimeout ?? 30_000);
  }

  get state(): CircuitState {
    return this.current;
  }

  /** Milliseconds until a probe may be sent (0 when requests may go now). */
  get retryIn(): number {
    if (this.current !== 'open') return 0;
    return Math.max(0, this.openedAt + this.resetTimeout - this.now());
  }

  /** Whether a request may go out now. In half-open state only one probe at a time may. */
  tryAcquire(): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (this.now() - this.openedAt < this.resetTimeout) return false;
      this.current = 'half-open';
      this.probing = false;
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  /** Gives back a probe that got no verdict (the caller gave up), so the next request may probe. */
  release(): void {
    this.probing = false;
  }

  recordSuccess(): void {
    this.failures = 0;
    this.probing = false;
    this.current = 'closed';
  }

  recordFailure(): void {
    this.probing = false;
    this.failures++;
    if (this.current === 'half-open' || this.failures >= this.threshold) {
      this.current = 'open';
      this.openedAt = this.now();
    }
  }
}
