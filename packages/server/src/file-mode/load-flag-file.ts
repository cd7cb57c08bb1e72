import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { type FlagSetDefinition, formatPath } from '@vexil/core';
import type { Issue } from '../errors/index.js';
import { checkFlagSet } from '../services/flag-sets/check-flag-set.js';
import { parseYaml } from '../services/io/parse-yaml.js';

/** A flags file read and checked: the flag set, or every problem with its path. */
export type LoadedFlagFile =
  | { readonly ok: true; readonly flagSet: FlagSetDefinition; readonly hash: string }
  | { readonly ok: false; readonly issues: readonly Issue[]; readonly hash: string | undefined };

/**
 * Reads a flags file (JSON, or YAML — JSON is YAML too) and validates it with the core's
 * parser: the schema and the cross-checks (variants, segments, prerequisites). Never throws.
 */
export async function loadFlagFile(path: string): Promise<LoadedFlagFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      ok: false,
      hash: undefined,
      issues: [{ path: '', message: `cannot read ${path}: ${(error as Error).message}` }],
    };
  }
  return parseFlagFile(text);
}

/** Parses and validates the text of a flags file. */
export function parseFlagFile(text: string): LoadedFlagFile {
  const hash = createHash('sha256').update(text).digest('hex');
  const yaml = parseYaml(text);
  if (!yaml.ok) return { ok: false, hash, issues: yaml.issues };
  const value = yaml.value;
  const parsed = checkFlagSet(value);
  if (!parsed.success) {
    return {
      ok: false,
      hash,
      issues: parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message })),
    };
  }
  // The definition as written (the compiled set is the SDK's business).
  return { ok: true, hash, flagSet: value as FlagSetDefinition };
}

/** The environments a flags file describes: its `environment`, and every name under a flag's `environments`. */
export function environmentsOf(flagSet: FlagSetDefinition): string[] {
  const names = new Set<string>();
  if (flagSet.environment !== undefined) names.add(flagSet.environment);
  for (const flag of Object.values(flagSet.flags)) {
    for (const name of Object.keys(flag.environments ?? {})) names.add(name);
  }
  return [...names];
}
