import { type FlagSetIssue, formatIssue } from '../parse/issue.js';

/** Thrown by `parseFlagSet` when the input is not a valid flag set. Lists every issue. */
export class FlagSetParseError extends Error {
  /** Stable error code. */
  readonly code = 'INVALID_FLAG_SET' as const;
  readonly issues: readonly FlagSetIssue[];

  constructor(issues: readonly FlagSetIssue[]) {
    const lines = issues.map(formatIssue);
    super(
      `invalid flag set (${issues.length} issue${issues.length === 1 ? '' : 's'}):\n${lines.map((l) => `  - ${l}`).join('\n')}`,
    );
    this.name = 'FlagSetParseError';
    this.issues = issues;
  }
}
