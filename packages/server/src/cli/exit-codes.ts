/**
 * Exit codes of `vexil`: scripts can tell a typo from a missing flag, a bad key or a
 * server that is down. Documented in packages/server/README.md.
 */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** Anything not listed below (an unexpected error). */
  ERROR: 1,
  /** The command line was wrong: unknown command or option, missing or malformed argument. */
  USAGE: 2,
  /** No key, or the key is unknown, revoked, expired or not allowed to do this (HTTP 401, 403). */
  AUTH: 3,
  /** The project, environment, flag, rule or key does not exist (HTTP 404). */
  NOT_FOUND: 4,
  /** The server refused the input, naming each bad field (HTTP 400, 413, 415), or a file is invalid. */
  VALIDATION: 5,
  /** The change conflicts: it already exists, is in use, was vetoed, or a version is stale (HTTP 409, 412). */
  CONFLICT: 6,
  /** The server could not be reached (connection refused, DNS, timeout). */
  UNREACHABLE: 7,
  /** The server failed (HTTP 5xx). */
  SERVER: 8,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** The exit code for an HTTP error status. */
export function exitCodeForStatus(status: number): ExitCode {
  if (status === 401 || status === 403) return EXIT.AUTH;
  if (status === 404) return EXIT.NOT_FOUND;
  if (status === 409 || status === 412) return EXIT.CONFLICT;
  if (status >= 500) return EXIT.SERVER;
  if (status >= 400) return EXIT.VALIDATION;
  return EXIT.ERROR;
}
