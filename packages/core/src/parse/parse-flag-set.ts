import type { z } from 'zod';
import { CompiledFlagSet, type FlagSet } from '../compile/flag-set.js';
import { FlagSetParseError } from '../errors/flag-set-parse-error.js';
import { FlagSetSchema } from '../schema/flag-set.js';
import { checkFlagSet } from './check-flag-set.js';
import type { FlagSetIssue } from './issue.js';

/** The outcome of `safeParseFlagSet`. */
export type SafeParseFlagSetResult =
  | { success: true; data: FlagSet }
  | { success: false; error: FlagSetParseError };

/** Options for `parseFlagSet` and `safeParseFlagSet`. */
export interface ParseFlagSetOptions {
  /**
   * Compile each flag's rules into a JavaScript function (with `new Function`), which
   * evaluates them several times faster than interpreting them. Default `true`; where a
   * Content-Security-Policy forbids it (no 'unsafe-eval'), rules are interpreted anyway.
   * Pass `false` to never generate code (and so never trigger a CSP violation report).
   */
  generateCode?: boolean;
}

/**
 * Validates and compiles a flag set (an object, or JSON text). Never throws: problems
 * come back as a `FlagSetParseError` listing every issue with its path.
 */
export function safeParseFlagSet(input: unknown, options?: ParseFlagSetOptions): SafeParseFlagSetResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (error) {
      return failure([{ path: [], message: `invalid JSON: ${(error as Error).message}` }]);
    }
  }
  let parsed: ReturnType<typeof FlagSetSchema.safeParse>;
  try {
    parsed = FlagSetSchema.safeParse(value, { reportInput: true });
  } catch (error) {
    // zod recurses into JSON values, so absurdly deep nesting overflows the stack; getters may throw.
    const why = error instanceof RangeError ? 'it is nested too deeply' : String(error);
    return failure([{ path: [], message: `could not read the flag set: ${why}` }]);
  }
  if (!parsed.success) return failure(parsed.error.issues.map(fromZodIssue));
  try {
    JSON.stringify(parsed.data);
  } catch {
    // A JavaScript object can hold a cycle or a BigInt; a flag set must survive a round trip through JSON.
    return failure([
      { path: [], message: 'not representable as JSON (a value refers to itself, or is a BigInt)' },
    ]);
  }
  const issues = checkFlagSet(parsed.data);
  if (issues.length > 0) return failure(issues);
  try {
    return {
      success: true,
      data: new CompiledFlagSet(deepFreeze(parsed.data), options?.generateCode !== false),
    };
  } catch (error) {
    // Validation should make this unreachable; a defect here must still not crash the caller.
    return failure([{ path: [], message: `could not compile the flag set: ${(error as Error).message}` }]);
  }
}

/**
 * Validates and compiles a flag set.
 * @throws FlagSetParseError listing every issue, e.g.
 *   `flags.checkout.rules[2].conditions[0].op: unknown operator "equal"; expected one of …`
 * @example
 * const set = parseFlagSet({ flags: { 'new-checkout': { type: 'boolean', enabled: true } } });
 */
export function parseFlagSet(input: unknown, options?: ParseFlagSetOptions): FlagSet {
  const result = safeParseFlagSet(input, options);
  if (!result.success) throw result.error;
  return result.data;
}

function failure(issues: FlagSetIssue[]): { success: false; error: FlagSetParseError } {
  return { success: false, error: new FlagSetParseError(issues) };
}

function fromZodIssue(issue: z.core.$ZodIssue): FlagSetIssue {
  const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  switch (issue.code) {
    case 'unrecognized_keys':
      return {
        path,
        message: `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`,
      };
    case 'invalid_type':
      return {
        path,
        message:
          issue.input === undefined
            ? `required (expected ${issue.expected})`
            : `expected ${issue.expected}, got ${describe(issue.input)}`,
      };
    case 'invalid_key':
      // The key schema's own message says what a key may hold; zod's says only "invalid key in record".
      return { path, message: lowerFirst(issue.issues[0]?.message ?? issue.message) };
    default:
      return { path, message: lowerFirst(issue.message) };
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}

function lowerFirst(text: string): string {
  return text.length > 0 ? text[0]!.toLowerCase() + text.slice(1) : text;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
