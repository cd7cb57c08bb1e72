import { type Issue, VexilError } from './vexil-error.js';

/** Input that breaks the schema or a cross-reference rule; lists every issue with its path. */
export class ValidationError extends VexilError {
  constructor(issues: readonly Issue[], summary = 'invalid input') {
    const lines = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`));
    super(
      'VALIDATION_FAILED',
      `${summary} (${issues.length} issue${issues.length === 1 ? '' : 's'}): ${lines.join('; ')}`,
      issues,
    );
  }
}
