/** Settings for exponential backoff. */
export interface BackoffOptions {
  /** First delay, in ms (default 1 000). */
  initialDelay?: number;
  /** Largest delay, in ms (default 30 000). */
  maxDelay?: number;
}

/**
 * Exponential backoff with "equal jitter": each delay is half the exponential step plus a
 * random share of the other half, so clients that failed together don't retry together.
 */
export class Backoff {
  private attempt = 0;
  private readonly initialDelay: number;
  private readonly maxDelay: number;

  constructor(
    options: BackoffOptions = {},
    private readonly random: () => number = Math.random,
  ) {
    this.initialDelay = Math.max(1, options.initialDelay ?? 1_000);
    this.maxDelay = Math.max(this.initialDelay, options.maxDelay ?? 30_000);
  }

  /** The delay before the next attempt; each call doubles the step up to `maxDelay`. */
  next(): number {
    const step = Math.min(this.maxDelay, this.initialDelay * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return Math.round(step / 2 + this.random() * (step / 2));
  }

  /** How many delays were handed out since the last success. */
  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** `interval` spread by ±`spread` (a fraction), so pollers don't synchronise. */
export function withJitter(interval: number, spread = 0.1, random: () => number = Math.random): number {
  return Math.round(interval * (1 - spread + 2 * spread * random()));
}
