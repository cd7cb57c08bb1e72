/** One problem with an input, with the path to the offending value (`rules[0].conditions[1].op`). */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/**
 * Base of every error Vexil throws on purpose. `code` is stable: callers (and the HTTP
 * layer, which maps codes to statuses in one place) branch on it, never on the message.
 * `details`, when an error has them, are the facts behind the message as JSON (the flags
 * that use a table): the HTTP body carries them, so clients never parse the message.
 */
export class VexilError extends Error {
  readonly code: string;
  readonly issues: readonly Issue[];
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    message: string,
    issues: readonly Issue[] = [],
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.issues = issues;
    this.details = details;
  }
}
