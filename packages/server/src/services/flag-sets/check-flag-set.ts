import { type SafeParseFlagSetResult, safeParseFlagSet } from '@vexil/core';

/**
 * Validates a candidate flag set — an admin write's, a segment's, an import's, a flags
 * file's — without generating rule functions with `new Function`: the server only checks
 * these sets, and compiles the ones it serves where it serves them (`delivery/snapshot.ts`).
 */
export function checkFlagSet(input: unknown): SafeParseFlagSetResult {
  return safeParseFlagSet(input, { generateCode: false });
}
