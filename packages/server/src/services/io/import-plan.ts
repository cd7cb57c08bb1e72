import { isDeepStrictEqual } from 'node:util';
import { type Flag, FlagSetSchema, formatPath, type Segment, type WeightTable } from '@vexil/core';
import { type Issue, ValidationError } from '../../errors/index.js';
import type { StoreReader } from '../../stores/store.js';
import type { FlagDefinition, FlagRecord, SegmentRecord, WeightTableRecord } from '../../stores/types.js';
import { checkFlagSet } from '../flag-sets/check-flag-set.js';
import { CONFIG_FIELDS, prerequisiteRefs, withoutSystemFields } from '../flags/definition.js';
import { findPrerequisiteCycle } from '../flags/validate-flag.js';
import { ALL, environmentKeys, requireEnvironment, requireProject } from '../lookups.js';
import { zodIssues } from '../zod-issues.js';

/** `merge`: add and update; `replace`: also delete what the file doesn't have (whole projects only). */
export type ImportMode = 'merge' | 'replace';

export interface ImportOptions {
  /** Import into this environment: each flag's settings are that environment's (default: the file's `environment`). */
  readonly environment?: string | undefined;
  readonly mode?: ImportMode | undefined;
}

/** What an import changes, per kind: keys created, updated, unchanged and deleted. */
export interface ImportDiff {
  readonly created: string[];
  readonly updated: string[];
  readonly unchanged: string[];
  readonly deleted: string[];
}

export interface ImportPlan {
  readonly project: string;
  readonly environment: string | null;
  readonly mode: ImportMode;
  readonly flags: ImportDiff;
  readonly segments: ImportDiff;
  readonly subjectWeights: ImportDiff;
  readonly flagWrites: readonly {
    key: string;
    existing?: FlagRecord;
    definition: FlagDefinition;
    archived: boolean;
  }[];
  readonly flagDeletes: readonly FlagRecord[];
  readonly segmentWrites: readonly { key: string; existing?: SegmentRecord; definition: Segment }[];
  readonly segmentDeletes: readonly SegmentRecord[];
  readonly tableWrites: readonly { key: string; existing?: WeightTableRecord; definition: WeightTable }[];
  readonly tableDeletes: readonly WeightTableRecord[];
}

/**
 * Works out what importing a flag set would change, validating the project as it would
 * be afterwards. Throws `ValidationError` naming every problem with its path in the file.
 */
export async function planImport(
  db: StoreReader,
  project: string,
  input: unknown,
  options: ImportOptions = {},
): Promise<ImportPlan> {
  await requireProject(db, project);
  const parsed = FlagSetSchema.safeParse(input);
  if (!parsed.success) throw new ValidationError(zodIssues(parsed.error), 'invalid flag set');
  const file = parsed.data;
  const environment = options.environment ?? file.environment ?? null;
  const mode = options.mode ?? 'merge';
  if (environment !== null) {
    await requireEnvironment(db, project, environment);
    if (mode === 'replace') {
      throw new ValidationError([
        { path: 'mode', message: 'replace imports a whole project; import an environment with merge' },
      ]);
    }
  }
  const environments = await environmentKeys(db, project);
  const existingFlags = new Map((await db.listFlags(project, ALL)).items.map((f) => [f.key, f]));
  const existingSegments = new Map((await db.listSegments(project, ALL)).items.map((s) => [s.key, s]));
  const fileSegments = roundTrip(file.segments ?? {});
  const existingTables = new Map((await db.listWeightTables(project, ALL)).items.map((t) => [t.key, t]));
  const fileTables = roundTrip(file.subjectWeights ?? {});
  const issues: Issue[] = [];

  const wanted = new Map<string, { definition: FlagDefinition; archived: boolean }>();
  for (const [key, flag] of Object.entries(file.flags)) {
    const existing = existingFlags.get(key);
    if (environment === null) {
      issues.push(...unknownEnvironments(key, flag, environments));
      wanted.set(key, {
        definition: roundTrip(withoutSystemFields(flag)) as FlagDefinition,
        archived: flag.archived ?? false,
      });
    } else {
      if (flag.environments !== undefined) {
        issues.push({
          path: formatPath(['flags', key, 'environments']),
          message:
            'an environment import takes each flag as that environment sees it, without "environments"',
        });
      }
      wanted.set(key, {
        definition: environmentDefinition(existing?.definition, flag, environment),
        archived: flag.archived ?? existing?.archived ?? false,
      });
    }
  }

  const candidateSegments: Record<string, Segment> =
    mode === 'replace'
      ? { ...fileSegments }
      : { ...Object.fromEntries([...existingSegments].map(([k, s]) => [k, s.definition])), ...fileSegments };
  const candidateFlags: Record<string, FlagDefinition> = {};
  if (mode === 'merge') for (const [k, f] of existingFlags) candidateFlags[k] = f.definition;
  for (const [k, w] of wanted) candidateFlags[k] = w.definition;

  // The tables' own contents were checked with the file; the flags need only their names.
  const tableNames =
    mode === 'replace' ? Object.keys(fileTables) : [...existingTables.keys(), ...Object.keys(fileTables)];
  const candidateTables = Object.fromEntries(tableNames.map((k) => [k, { weights: {} }]));
  const checked = checkFlagSet({
    segments: candidateSegments,
    subjectWeights: candidateTables,
    flags: candidateFlags,
  });
  if (!checked.success) {
    for (const issue of checked.error.issues)
      issues.push({ path: formatPath(filePath(issue.path, environment)), message: issue.message });
  }
  for (const key of wanted.keys()) {
    for (const ref of prerequisiteRefs(candidateFlags[key]!)) {
      if (!(ref.flag in candidateFlags)) {
        issues.push({
          path: formatPath(filePath(['flags', key, ...ref.path], environment)),
          message: `unknown flag ${JSON.stringify(ref.flag)}`,
        });
      }
    }
  }
  if (issues.length === 0) {
    for (const key of [...wanted.keys()].sort()) {
      const cycle = await findPrerequisiteCycle(
        db,
        project,
        key,
        candidateFlags[key]!,
        async (k) => candidateFlags[k],
      );
      if (cycle !== undefined) {
        issues.push({
          path: formatPath(['flags', key]),
          message: `prerequisites form a cycle: ${cycle.join(' → ')}`,
        });
        break;
      }
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, 'the import was refused');

  const flags = emptyDiff();
  const flagWrites: ImportPlan['flagWrites'][number][] = [];
  for (const [key, w] of [...wanted].sort(byKey)) {
    const existing = existingFlags.get(key);
    if (existing === undefined) flags.created.push(key);
    else if (existing.archived === w.archived && isDeepStrictEqual(existing.definition, w.definition)) {
      flags.unchanged.push(key);
      continue;
    } else flags.updated.push(key);
    flagWrites.push(existing === undefined ? { key, ...w } : { key, existing, ...w });
  }
  const flagDeletes = mode === 'replace' ? [...existingFlags.values()].filter((f) => !wanted.has(f.key)) : [];
  flags.deleted.push(...flagDeletes.map((f) => f.key));

  const segments = emptyDiff();
  const segmentWrites: ImportPlan['segmentWrites'][number][] = [];
  for (const [key, definition] of Object.entries(fileSegments).sort(byKey)) {
    const existing = existingSegments.get(key);
    if (existing === undefined) segments.created.push(key);
    else if (isDeepStrictEqual(existing.definition, definition)) {
      segments.unchanged.push(key);
      continue;
    } else segments.updated.push(key);
    segmentWrites.push(existing === undefined ? { key, definition } : { key, existing, definition });
  }
  const segmentDeletes =
    mode === 'replace' ? [...existingSegments.values()].filter((s) => !(s.key in fileSegments)) : [];
  segments.deleted.push(...segmentDeletes.map((s) => s.key));

  const subjectWeights = emptyDiff();
  const tableWrites: ImportPlan['tableWrites'][number][] = [];
  for (const [key, definition] of Object.entries(fileTables).sort(byKey)) {
    const existing = existingTables.get(key);
    if (existing === undefined) subjectWeights.created.push(key);
    else if (isDeepStrictEqual(existing.definition, definition)) {
      subjectWeights.unchanged.push(key);
      continue;
    } else subjectWeights.updated.push(key);
    tableWrites.push(existing === undefined ? { key, definition } : { key, existing, definition });
  }
  const tableDeletes =
    mode === 'replace' ? [...existingTables.values()].filter((t) => !(t.key in fileTables)) : [];
  subjectWeights.deleted.push(...tableDeletes.map((t) => t.key));

  return {
    project,
    environment,
    mode,
    flags,
    segments,
    subjectWeights,
    flagWrites,
    flagDeletes,
    segmentWrites,
    segmentDeletes,
    tableWrites,
    tableDeletes,
  };
}

/** The flag's new definition when `flag` is how `environment` should see it. */
function environmentDefinition(
  existing: FlagDefinition | undefined,
  flag: Flag,
  environment: string,
): FlagDefinition {
  const descriptive: Record<string, unknown> = roundTrip(withoutSystemFields(flag));
  delete descriptive.environments;
  const config: Record<string, unknown> = {};
  for (const field of CONFIG_FIELDS) {
    if (descriptive[field] !== undefined) config[field] = descriptive[field];
    delete descriptive[field];
  }
  const base: Record<string, unknown> = {};
  if (existing !== undefined)
    for (const field of CONFIG_FIELDS) if (existing[field] !== undefined) base[field] = existing[field];
  const environments = { ...(existing?.environments ?? {}), [environment]: config };
  return { ...descriptive, ...base, environments } as FlagDefinition;
}

function unknownEnvironments(key: string, flag: Flag, environments: readonly string[]): Issue[] {
  return Object.keys(flag.environments ?? {})
    .filter((env) => !environments.includes(env))
    .map((env) => ({
      path: formatPath(['flags', key, 'environments', env]),
      message: `unknown environment ${JSON.stringify(env)}; the project has ${environments.map((e) => JSON.stringify(e)).join(', ') || 'none'}`,
    }));
}

/** Maps a path in the stored definition back to where it is in an environment file. */
function filePath(path: readonly (string | number)[], environment: string | null): (string | number)[] {
  if (environment !== null && path[0] === 'flags' && path[2] === 'environments' && path[3] === environment) {
    return [path[0], path[1]!, ...path.slice(4)];
  }
  return [...path];
}

function emptyDiff(): ImportDiff {
  return { created: [], updated: [], unchanged: [], deleted: [] };
}

function byKey<T>(a: [string, T], b: [string, T]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

function roundTrip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
