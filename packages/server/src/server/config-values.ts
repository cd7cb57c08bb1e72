import type { Issue } from '../errors/index.js';

/** Reading `vexil serve` settings: a flag wins over its `VEXIL_*` variable, which wins over the default. */
export interface Setting {
  /** The flag's value as commander gave it (undefined when not given). */
  readonly flag: string | boolean | undefined;
  /** `--publish-dir` */
  readonly flagName: string;
  /** `VEXIL_PUBLISH_DIR` */
  readonly envName: string;
}

/** A trimmed, non-empty string, or undefined. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/** The setting's text, and the name to blame when it is wrong. */
export function textOf(s: Setting, env: NodeJS.ProcessEnv): { value: string | undefined; path: string } {
  if (typeof s.flag === 'string') return { value: nonEmpty(s.flag), path: s.flagName };
  return { value: nonEmpty(env[s.envName]), path: s.envName };
}

/** A switch: the flag, or `true`/`false` (1/0, yes/no, on/off) in the variable. */
export function switchOf(s: Setting, env: NodeJS.ProcessEnv, issues: Issue[]): boolean | undefined {
  if (typeof s.flag === 'boolean') return s.flag;
  const value = nonEmpty(env[s.envName])?.toLowerCase();
  if (value === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  issues.push({ path: s.envName, message: `expected true or false, got ${JSON.stringify(env[s.envName])}` });
  return undefined;
}

/** A whole number in [min, max], or `fallback` when not set. */
export function integerOf(
  s: Setting,
  env: NodeJS.ProcessEnv,
  issues: Issue[],
  range: { min: number; max: number; fallback: number },
): number {
  const { value, path } = textOf(s, env);
  if (value === undefined) return range.fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    issues.push({
      path,
      message: `expected a whole number ${range.min}–${range.max}, got ${JSON.stringify(value)}`,
    });
    return range.fallback;
  }
  return n;
}

/** A URL with one of `protocols` (`redis:`), or undefined when not set. */
export function urlOf(
  s: Setting,
  env: NodeJS.ProcessEnv,
  issues: Issue[],
  protocols: readonly string[],
): string | undefined {
  const { value, path } = textOf(s, env);
  if (value === undefined) return undefined;
  try {
    const url = new URL(value);
    if (protocols.includes(url.protocol)) return value;
  } catch {
    // reported below
  }
  issues.push({ path, message: `expected a ${protocols.map((p) => `${p}//…`).join(' or ')} URL` });
  return undefined;
}
