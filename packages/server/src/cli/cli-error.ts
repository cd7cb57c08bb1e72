import { EXIT, type ExitCode } from './exit-codes.js';

/** One problem, with the path to the bad field (as the server's error body names it). */
export interface CliIssue {
  readonly path: string;
  readonly message: string;
}

/** An error the CLI reports to the user: a message, the issues, a hint, and the exit code. */
export class CliError extends Error {
  readonly exitCode: ExitCode;
  readonly issues: readonly CliIssue[];
  /** The server's error code (`NOT_FOUND`, `VALIDATION_FAILED` …), when the server answered. */
  readonly code: string | undefined;
  readonly status: number | undefined;
  readonly hint: string | undefined;

  constructor(
    message: string,
    options: {
      exitCode?: ExitCode;
      issues?: readonly CliIssue[];
      code?: string | undefined;
      status?: number | undefined;
      hint?: string | undefined;
    } = {},
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? EXIT.ERROR;
    this.issues = options.issues ?? [];
    this.code = options.code;
    this.status = options.status;
    this.hint = options.hint;
  }
}

/** A command-line mistake: exit code 2. */
export function usageError(message: string, issues: readonly CliIssue[] = []): CliError {
  return new CliError(message, { exitCode: EXIT.USAGE, issues });
}

/** How an error reads on stderr: the message, every issue on its own line, then a hint. */
export function formatError(error: CliError): string {
  const where =
    error.code !== undefined
      ? ` (${error.code}${error.status === undefined ? '' : `, HTTP ${error.status}`})`
      : '';
  const lines = [`vexil: ${error.message}${where}`];
  for (const issue of error.issues)
    lines.push(`  ${issue.path === '' ? '(body)' : issue.path}: ${issue.message}`);
  if (error.hint !== undefined) lines.push(`hint: ${error.hint}`);
  return lines.join('\n');
}
