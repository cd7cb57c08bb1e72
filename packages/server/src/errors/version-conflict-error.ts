import { VexilError } from './vexil-error.js';

/** A write named a version that is no longer current: someone else changed it first. */
export class VersionConflictError extends VexilError {
  readonly currentVersion: number;

  constructor(what: string, key: string, expected: number, current: number) {
    super(
      'VERSION_CONFLICT',
      `${what} ${JSON.stringify(key)} is at version ${current}, not ${expected}: reload it and apply your change again`,
    );
    this.currentVersion = current;
  }
}
