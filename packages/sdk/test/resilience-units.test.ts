import { describe, expect, it } from 'vitest';
import { Backoff, withJitter } from '../src/http/backoff.js';
import { CircuitBreaker } from '../src/http/circuit-breaker.js';
import { parseRetryAfter } from '../src/http/retry-after.js';

describe('Backoff', () => {
  it('doubles each step up to the maximum, each delay between half the step and the step', () => {
    const low = new Backoff({ initialDelay: 100, maxDelay: 1000 }, () => 0);
    const high = new Backoff({ initialDelay: 100, maxDelay: 1000 }, () => 1);
    expect([1, 2, 3, 4, 5, 6].map(() => low.next())).toEqual([50, 100, 200, 400, 500, 500]);
    expect([1, 2, 3, 4, 5, 6].map(() => high.next())).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('starts over after a reset', () => {
    const backoff = new Backoff({ initialDelay: 100 }, () => 1);
    backoff.next();
    backoff.next();
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });

  it('spreads poll intervals by ±10 %', () => {
    expect(withJitter(1000, 0.1, () => 0)).toBe(900);
    expect(withJitter(1000, 0.1, () => 1)).toBe(1100);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold of consecutive failures and fails fast while open', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, resetTimeout: 1000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.recordFailure();
    }
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);
    now = 400;
    expect(breaker.retryIn).toBe(600);
  });

  it('lets exactly one probe through after the reset timeout; success closes it', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 1000 }, () => now);
    breaker.tryAcquire();
    breaker.recordFailure();
    now = 1000;
    expect(breaker.tryAcquire()).toBe(true);
    expect(breaker.state).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(false);
    breaker.recordSuccess();
    expect(breaker.state).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('opens again when the probe fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 5, resetTimeout: 1000 }, () => now);
    for (let i = 0; i < 5; i++) breaker.recordFailure();
    now = 1500;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.recordFailure();
    expect(breaker.state).toBe('open');
    expect(breaker.retryIn).toBe(1000);
  });

  it('frees the probe when its caller gave up without a verdict', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, resetTimeout: 10 }, () => now);
    breaker.recordFailure();
    now = 10;
    expect(breaker.tryAcquire()).toBe(true);
    breaker.release();
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('counts only consecutive failures', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2 });
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.state).toBe('closed');
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('0.5')).toBe(500);
    const now = Date.parse('2026-11-25T10:00:00Z');
    expect(parseRetryAfter('Wed, 25 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
  });

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
