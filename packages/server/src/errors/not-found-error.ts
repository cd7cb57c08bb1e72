import { VexilError } from './vexil-error.js';

/** The named project, environment, flag, segment, key or version does not exist. */
export class NotFoundError extends VexilError {
  constructor(what: string, key: string) {
    super('NOT_FOUND', `${what} ${JSON.stringify(key)} not found`);
  }
}
