import { VexilError } from './vexil-error.js';

/**
 * A write's precondition failed: it named a version that is no longer current (someone else
 * changed it first) or a version of something that does not exist (`current` 0), or it asked
 * to create something that exists (`expected` null: `If-None-Match: *`).
 */
export class VersionConflictError extends VexilError {
  /** The version there is; 0 when there is nothing. */
  readonly currentVersion: number;

  /** `expected`: a version, `*` (any version), or null (none: create only). */
  constructor(what: string, key: string, expected: number | '*' | null, current: number) {
    const name = `${what} ${JSON.stringify(key)}`;
    super(
      'VERSION_CONFLICT',
      expected === null
        ? `${name} already exists (version ${current}): load it to change it`
        : current === 0
          ? `${name} does not exist: it is created only by a write that names no version (no If-Match)`
          : `${name} is at version ${current}, not ${expected}: reload it and apply your change again`,
    );
    this.currentVersion = current;
  }
}
