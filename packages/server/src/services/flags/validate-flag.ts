import { FlagSchema, formatPath, type WeightTable } from '@vexil/core';
import { type Issue, ValidationError } from '../../errors/index.js';
import type { StoreReader } from '../../stores/store.js';
import type { FlagDefinition } from '../../stores/types.js';
import { checkFlagSet } from '../flag-sets/check-flag-set.js';
import { ALL } from '../lookups.js';
import { relativeIssues, zodIssues } from '../zod-issues.js';
import { prerequisiteRefs, weightTableRefs, withoutSystemFields } from './definition.js';

/** What a flag is checked against. */
export interface FlagCheckContext {
  readonly db: StoreReader;
  readonly project: string;
  readonly environments: readonly string[];
}

/**
 * Checks a flag definition the way the core checks a flag set — schema, variants, segments,
 * operator values — plus what only the server can see: environments that exist,
 * prerequisite flags that exist, and no prerequisite cycles. Throws `ValidationError`
 * listing every issue, with paths relative to the flag.
 */
export async function validateFlag(
  ctx: FlagCheckContext,
  key: string,
  input: unknown,
): Promise<FlagDefinition> {
  const parsed = FlagSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(zodIssues(parsed.error), `invalid flag ${JSON.stringify(key)}`);
  // A JSON round trip drops `undefined` fields, so equal flags compare equal.
  const definition = JSON.parse(JSON.stringify(withoutSystemFields(parsed.data))) as FlagDefinition;
  const issues: Issue[] = [...unknownEnvironments(definition, ctx.environments)];

  const segments = Object.fromEntries(
    (await ctx.db.listSegments(ctx.project, ALL)).items.map((s) => [s.key, s.definition]),
  );
  const others: Record<string, FlagDefinition> = {};
  for (const ref of prerequisiteRefs(definition)) {
    if (ref.flag === key || ref.flag in others) continue;
    const other = await ctx.db.getFlag(ctx.project, ref.flag);
    if (other === undefined)
      issues.push({ path: formatPath(ref.path), message: `unknown flag ${JSON.stringify(ref.flag)}` });
    else others[ref.flag] = other.definition;
  }
  const subjectWeights = await weightTableNames(ctx, definition);
  const checked = checkFlagSet({ segments, subjectWeights, flags: { ...others, [key]: definition } });
  if (!checked.success) {
    const own = checked.error.issues.filter((i) => i.path[0] === 'flags' && i.path[1] === key);
    issues.push(...relativeIssues(own, ['flags', key]));
  }
  if (issues.length === 0) {
    const cycle = await findPrerequisiteCycle(ctx.db, ctx.project, key, definition);
    if (cycle !== undefined)
      issues.push({ path: 'prerequisites', message: `prerequisites form a cycle: ${cycle.join(' → ')}` });
  }
  if (issues.length > 0) throw new ValidationError(issues, `invalid flag ${JSON.stringify(key)}`);
  return definition;
}

/**
 * The project's weight tables the flag may name, as empty tables: the check needs their
 * names, not their subjects. Reads only the tables the flag names, unless one is missing
 * (then every name, for the message).
 */
async function weightTableNames(
  ctx: FlagCheckContext,
  definition: FlagDefinition,
): Promise<Record<string, WeightTable>> {
  const names: Record<string, WeightTable> = {};
  for (const name of weightTableRefs(definition)) {
    if ((await ctx.db.getWeightTable(ctx.project, name)) === undefined) {
      const all = await ctx.db.listWeightTables(ctx.project, ALL);
      return Object.fromEntries(all.items.map((t) => [t.key, { weights: {} }]));
    }
    names[name] = { weights: {} };
  }
  return names;
}

function unknownEnvironments(definition: FlagDefinition, environments: readonly string[]): Issue[] {
  return Object.keys(definition.environments ?? {})
    .filter((env) => !environments.includes(env))
    .map((env) => ({
      path: formatPath(['environments', env]),
      message: `unknown environment ${JSON.stringify(env)}; the project has ${environments.map((e) => JSON.stringify(e)).join(', ') || 'none'}`,
    }));
}

/**
 * Follows prerequisites (in any environment) from `key`, with `definition` as its new
 * definition, and returns the first loop back to `key`, if any.
 */
export async function findPrerequisiteCycle(
  db: StoreReader,
  project: string,
  key: string,
  definition: FlagDefinition,
  lookup: (flag: string) => Promise<FlagDefinition | undefined> = async (flag) =>
    (await db.getFlag(project, flag))?.definition,
): Promise<string[] | undefined> {
  const seen = new Set<string>([key]);
  const stack: { flag: string; path: string[] }[] = [];
  for (const ref of prerequisiteRefs(definition)) stack.push({ flag: ref.flag, path: [key, ref.flag] });
  while (stack.length > 0) {
    const { flag, path } = stack.pop()!;
    if (flag === key) return path;
    if (seen.has(flag)) continue;
    seen.add(flag);
    const next = await lookup(flag);
    if (next === undefined) continue;
    for (const ref of prerequisiteRefs(next)) stack.push({ flag: ref.flag, path: [...path, ref.flag] });
  }
  return undefined;
}
