import { VexilError } from './vexil-error.js';

/**
 * Removing something that others still refer to (a segment used by a flag, a prerequisite).
 * `details` name the users by kind where the thrower knows them (`{ flags: ['billing'] }`).
 */
export class InUseError extends VexilError {
  readonly usedBy: readonly string[];

  constructor(
    what: string,
    key: string,
    usedBy: readonly string[],
    details?: Readonly<Record<string, unknown>>,
  ) {
    super('IN_USE', `${what} ${JSON.stringify(key)} is still used by ${usedBy.join(', ')}`, [], details);
    this.usedBy = usedBy;
  }
}
