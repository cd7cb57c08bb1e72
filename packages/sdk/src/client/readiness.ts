import { VexilError } from '../errors/vexil-error.js';
import type { ClientStatus } from './types.js';

interface Waiter {
  resolve: () => void;
  reject: (error: VexilError) => void;
}

/** The client's status and the promises waiting for it to become ready. */
export class Readiness {
  private current: ClientStatus = 'initializing';
  private fatal: VexilError | undefined;
  private waiters: Waiter[] = [];

  get status(): ClientStatus {
    return this.current;
  }

  /** Whether the client has served as ready (it may be stale since). */
  get ready(): boolean {
    return this.current === 'ready' || this.current === 'stale';
  }

  set(status: ClientStatus): void {
    this.current = status;
    if (this.ready) this.settle((w) => w.resolve());
  }

  /** A fatal error: the status becomes `error` and every waiter is rejected. */
  fail(error: VexilError): void {
    this.fatal = error;
    this.current = 'error';
    this.rejectWaiters(error);
  }

  /** Rejects the current waiters without changing the status (the client keeps trying). */
  rejectWaiters(error: VexilError): void {
    this.settle((w) => w.reject(error));
  }

  wait(timeout: number): Promise<void> {
    if (this.ready) return Promise.resolve();
    if (this.current === 'closed') return Promise.reject(new VexilError('CLOSED', 'the client is closed'));
    if (this.current === 'error') return Promise.reject(this.fatal);
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new VexilError('INIT_TIMEOUT', `the client was not ready within ${timeout} ms`));
      }, timeout);
      this.waiters.push(waiter);
    });
  }

  private settle(fn: (waiter: Waiter) => void): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) fn(waiter);
  }
}
