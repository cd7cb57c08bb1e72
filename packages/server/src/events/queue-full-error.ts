import { VexilError } from '../errors/index.js';

/** The event write queue is full: the caller should retry after `retryAfterSeconds`. */
export class QueueFullError extends VexilError {
  constructor(readonly retryAfterSeconds: number) {
    super('QUEUE_FULL', `the event write queue is full; retry in ${retryAfterSeconds} s`);
  }
}
