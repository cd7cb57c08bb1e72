import type { Issue } from './types.js';

/** An error from the admin API (or from reaching it), with its stable code and every issue. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    /** The API's error code (`VALIDATION_FAILED`, `VERSION_CONFLICT` …), or `NETWORK` / `HTTP_<status>`. */
    readonly code: string,
    message: string,
    readonly issues: readonly Issue[] = [],
    readonly requestId?: string,
    /** The API's `details`: what the error is about, as data (an `IN_USE` table's `{ flags }`). */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

function isIssue(value: unknown): value is Issue {
  if (typeof value !== 'object' || value === null) return false;
  const { path, message } = value as Record<string, unknown>;
  return typeof path === 'string' && typeof message === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads an error response: the API's `{ error: { code, message, issues, details? } }` body, or, for
 * anything else (a proxy's HTML page, an empty body), a generic error naming the status.
 */
export function toApiError(status: number, bodyText: string): ApiError {
  let body: unknown;
  try {
    body = bodyText === '' ? undefined : JSON.parse(bodyText);
  } catch {
    body = undefined;
  }
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'object' && error !== null) {
    const { code, message, issues, requestId, details } = error as Record<string, unknown>;
    if (typeof code === 'string' && typeof message === 'string') {
      return new ApiError(
        status,
        code,
        message,
        Array.isArray(issues) ? issues.filter(isIssue) : [],
        typeof requestId === 'string' ? requestId : undefined,
        isRecord(details) ? details : undefined,
      );
    }
  }
  const text = bodyText.trim().slice(0, 200);
  return new ApiError(
    status,
    `HTTP_${status}`,
    `the server answered ${status}${text !== '' && !text.startsWith('<') ? `: ${text}` : ''}`,
  );
}

/** Any thrown value as an ApiError (network failures included). */
export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof TypeError) {
    return new ApiError(0, 'NETWORK', `could not reach the Vexil server (${error.message})`);
  }
  return new ApiError(0, 'CLIENT', error instanceof Error ? error.message : String(error));
}

/**
 * Splits a path like `rules[0].conditions[1].op` into `['rules', 0, 'conditions', 1, 'op']`.
 * A key that is not a plain name comes quoted, as the server writes it: `weights["42"]`,
 * `weights["acme.eu"]` → `['weights', '42']`, `['weights', 'acme.eu']`.
 */
export function parseIssuePath(path: string): (string | number)[] {
  const parts: (string | number)[] = [];
  for (const match of path.matchAll(/\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|([^.[\]]+)/g)) {
    if (match[1] !== undefined) parts.push(Number(match[1]));
    else if (match[2] !== undefined) parts.push(unquote(match[2]));
    else if (match[3] !== undefined) parts.push(/^\d+$/.test(match[3]) ? Number(match[3]) : match[3]);
  }
  return parts;
}

function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}

/** Names written bare in a path (the core's rule); others are quoted: `["acme.eu"]`. */
const PLAIN_NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/**
 * The issues at `path` or below it, for showing next to a form field. With `exact`, only
 * those exactly at `path`. `path` uses the API's notation (`rules[0].serve`).
 */
export function issuesAt(error: unknown, path: string, exact = false): Issue[] {
  if (!(error instanceof ApiError)) return [];
  const want = parseIssuePath(path).join('\u0000');
  return error.issues.filter((issue) => {
    const have = parseIssuePath(issue.path).join('\u0000');
    if (have === want) return true;
    return !exact && (want === '' || have.startsWith(`${want}\u0000`));
  });
}

/** The issues no field in `shown` covers (to list them above a form). */
export function otherIssues(error: unknown, shown: readonly string[]): Issue[] {
  if (!(error instanceof ApiError)) return [];
  const covered = new Set(shown.flatMap((path) => issuesAt(error, path)));
  return error.issues.filter((issue) => !covered.has(issue));
}

/** A one-line description for a toast or a banner. */
export function describeError(error: unknown): string {
  const e = asApiError(error);
  if (e.code === 'VERSION_CONFLICT') {
    return 'Someone else changed this since you loaded it. It has been reloaded: check it and try again.';
  }
  return e.message;
}

/** `['rules', 0, 'op']` → `rules[0].op`, `['weights', 'acme.eu']` → `weights["acme.eu"]` (the API's notation). */
export function formatIssuePath(parts: readonly (string | number)[]): string {
  return parts.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    if (!PLAIN_NAME.test(part)) return `${out}[${JSON.stringify(part)}]`;
    return out === '' ? part : `${out}.${part}`;
  }, '');
}

/**
 * The same error with issue paths under `from` moved under `to`: the server checks a change
 * on the whole flag (`environments.production.rules[2].serve`), a form shows it at its own
 * fields (`rule.serve`). Other issues are kept as they are.
 */
export function rebaseIssues<E>(error: E, from: string, to: string): E {
  if (!(error instanceof ApiError)) return error;
  const prefix = parseIssuePath(from);
  const target = parseIssuePath(to);
  const issues = error.issues.map((issue) => {
    const parts = parseIssuePath(issue.path);
    const under = prefix.every((p, i) => parts[i] === p);
    return under ? { ...issue, path: formatIssuePath([...target, ...parts.slice(prefix.length)]) } : issue;
  });
  return new ApiError(error.status, error.code, error.message, issues, error.requestId) as E;
}
