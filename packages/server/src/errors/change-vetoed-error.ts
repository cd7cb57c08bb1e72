import { VexilError } from './vexil-error.js';

/** A before-listener refused the change. */
export class ChangeVetoedError extends VexilError {
  readonly reason: string;

  constructor(action: string, reason: string) {
    super('CHANGE_VETOED', `${action} was vetoed: ${reason}`);
    this.reason = reason;
  }
}
