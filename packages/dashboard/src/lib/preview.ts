import { type EvaluationResult, evaluateAll, type FlagSetInput, safeParseFlagSet } from '@vexil/core';

/** The preview of a context: every live flag's result (with its trace), or why it couldn't run. */
export type PreviewResult =
  | { readonly ok: true; readonly results: readonly EvaluationResult[]; readonly version: number | undefined }
  | { readonly ok: false; readonly message: string };

/**
 * Evaluates an environment's flag set (as `GET …/flag-set?scope=server` returns it) for a
 * context, in the browser, with the same core the SDKs use.
 */
export function previewFlags(set: FlagSetInput, context: unknown, now: number): PreviewResult {
  if (context === null || typeof context !== 'object' || Array.isArray(context)) {
    return { ok: false, message: 'the context must be a JSON object, like {"targetingKey": "user-1"}' };
  }
  const parsed = safeParseFlagSet(set);
  if (!parsed.success) return { ok: false, message: parsed.error.message };
  const results = evaluateAll(parsed.data, context as Record<string, unknown>, { trace: true, now });
  const version = (set as { version?: unknown }).version;
  return { ok: true, results, version: typeof version === 'number' ? version : undefined };
}
