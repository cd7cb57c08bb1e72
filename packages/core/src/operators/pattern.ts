import { RE2JS } from 're2js';

/**
 * Regular expressions for the `matches` operator run on RE2 (linear time), so no
 * pattern can make evaluation take exponential time. RE2 syntax: no backreferences
 * or look-around.
 */
export interface Pattern {
  test(input: string): boolean;
}

/** Compiles a pattern, or returns the compiler's complaint as a string. */
export function compilePattern(source: string): Pattern | string {
  if (source.length > 4096) return 'pattern is longer than 4096 characters';
  try {
    const re = RE2JS.compile(source);
    return { test: (input) => re.test(input) };
  } catch (error) {
    return `invalid pattern ${JSON.stringify(source)}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
