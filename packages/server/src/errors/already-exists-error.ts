import { VexilError } from './vexil-error.js';

/** Creating something whose key is taken. */
export class AlreadyExistsError extends VexilError {
  constructor(what: string, key: string) {
    super('ALREADY_EXISTS', `${what} ${JSON.stringify(key)} already exists`);
  }
}
