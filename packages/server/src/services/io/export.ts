import type { Flag, FlagSetDefinition, Segment, WeightTable } from '@vexil/core';
import { FORMAT_VERSION } from '@vexil/core';
import type { StoreReader } from '../../stores/store.js';
import { flattenFlag } from '../flag-sets/build-flag-set.js';
import { ALL, requireEnvironment, requireProject } from '../lookups.js';

/**
 * A whole project in the core's flag-set format: every flag (archived ones marked) with
 * its flag-level and per-environment settings, every segment and every weight table (when
 * there are any). Importing it into an empty project recreates the project's flags.
 */
export async function exportProject(
  db: StoreReader,
  project: string,
  generatedAt: string,
): Promise<FlagSetDefinition> {
  await requireProject(db, project);
  const flags: Record<string, Flag> = {};
  for (const f of (await db.listFlags(project, ALL)).items) {
    flags[f.key] = f.archived ? { ...f.definition, archived: true } : f.definition;
  }
  return {
    formatVersion: FORMAT_VERSION,
    project,
    generatedAt,
    segments: await allSegments(db, project),
    ...(await allWeightTables(db, project)),
    flags,
  };
}

/**
 * One environment in the core's flag-set format: each flag as that environment sees it
 * (its settings at the flag level, no `environments`), with the environment's version.
 */
export async function exportEnvironment(
  db: StoreReader,
  project: string,
  environment: string,
  generatedAt: string,
): Promise<FlagSetDefinition> {
  const env = await requireEnvironment(db, project, environment);
  const flags: Record<string, Flag> = {};
  for (const f of (await db.listFlags(project, ALL)).items) {
    const { version: _version, ...flat } = flattenFlag(f, environment);
    flags[f.key] = f.archived ? { ...flat, archived: true } : flat;
  }
  return {
    formatVersion: FORMAT_VERSION,
    project,
    environment,
    version: env.version,
    generatedAt,
    segments: await allSegments(db, project),
    ...(await allWeightTables(db, project)),
    flags,
  };
}

async function allSegments(db: StoreReader, project: string): Promise<Record<string, Segment>> {
  return Object.fromEntries((await db.listSegments(project, ALL)).items.map((s) => [s.key, s.definition]));
}

/** `{ subjectWeights }` with every table of the project, or nothing when it has none. */
async function allWeightTables(
  db: StoreReader,
  project: string,
): Promise<{ subjectWeights?: Record<string, WeightTable> }> {
  const tables = (await db.listWeightTables(project, ALL)).items;
  return tables.length === 0
    ? {}
    : { subjectWeights: Object.fromEntries(tables.map((t) => [t.key, t.definition])) };
}
