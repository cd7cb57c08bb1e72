/** One problem with an input, with the path to the offending value (`rules[0].conditions[1].op`). */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/**
 * Base of every error Vexil throws on purpose. `code` is stable: callers (and the HTTP
 * layer, which maps codes to statuses in one place) branch on it, never on the message.
 */
export class VexilError extends Error {
  readonly code: string;
  readonly issues: readonly Issue[];

  constructor(code: string, message: string, issues: readonly Issue[] = []) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.issues = issues;
  }
}
