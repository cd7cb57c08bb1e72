import { VexilError } from './vexil-error.js';

/** The request is well-formed but the resource's state forbids it (rotating a revoked key). */
export class InvalidStateError extends VexilError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}
