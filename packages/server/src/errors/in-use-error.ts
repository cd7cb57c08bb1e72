import { VexilError } from './vexil-error.js';

/** Removing something that others still refer to (a segment used by a flag, a prerequisite). */
export class InUseError extends VexilError {
  readonly usedBy: readonly string[];

  constructor(what: string, key: string, usedBy: readonly string[]) {
    super('IN_USE', `${what} ${JSON.stringify(key)} is still used by ${usedBy.join(', ')}`);
    this.usedBy = usedBy;
  }
}
