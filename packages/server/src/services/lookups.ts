import { KeySchema } from '@vexil/core';
import { NotFoundError, ValidationError, VersionConflictError } from '../errors/index.js';
import type { StoreReader } from '../stores/store.js';
import type {
  EnvironmentRecord,
  FlagRecord,
  Page,
  ProjectRecord,
  SegmentRecord,
  WeightTableRecord,
} from '../stores/types.js';

export async function requireProject(db: StoreReader, key: string): Promise<ProjectRecord> {
  const project = await db.getProject(key);
  if (project === undefined) throw new NotFoundError('project', key);
  return project;
}

export async function requireEnvironment(
  db: StoreReader,
  project: string,
  key: string,
): Promise<EnvironmentRecord> {
  const environment = await db.getEnvironment(project, key);
  if (environment === undefined) {
    await requireProject(db, project);
    throw new NotFoundError('environment', key);
  }
  return environment;
}

export async function requireFlag(db: StoreReader, project: string, key: string): Promise<FlagRecord> {
  const flag = await db.getFlag(project, key);
  if (flag === undefined) {
    await requireProject(db, project);
    throw new NotFoundError('flag', key);
  }
  return flag;
}

export async function requireSegment(db: StoreReader, project: string, key: string): Promise<SegmentRecord> {
  const segment = await db.getSegment(project, key);
  if (segment === undefined) {
    await requireProject(db, project);
    throw new NotFoundError('segment', key);
  }
  return segment;
}

export async function requireWeightTable(
  db: StoreReader,
  project: string,
  key: string,
): Promise<WeightTableRecord> {
  const table = await db.getWeightTable(project, key);
  if (table === undefined) {
    await requireProject(db, project);
    throw new NotFoundError('weight table', key);
  }
  return table;
}

export async function environmentKeys(db: StoreReader, project: string): Promise<string[]> {
  return (await db.listEnvironments(project)).map((e) => e.key);
}

/** Throws when the caller expected another version than the current one. */
export function checkVersion(what: string, key: string, current: number, expected: number | undefined): void {
  if (expected !== undefined && expected !== current)
    throw new VersionConflictError(what, key, expected, current);
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

/** Fills in and caps paging: limit 1…1000 (default 50), offset ≥ 0. */
export function page(input: { limit?: number | undefined; offset?: number | undefined } = {}): Page {
  const limit = Math.min(Math.max(Math.trunc(input.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
  const offset = Math.max(Math.trunc(input.offset ?? 0), 0);
  return { limit, offset };
}

/** Everything, for internal scans. */
export const ALL: Page = { limit: Number.MAX_SAFE_INTEGER, offset: 0 };

/** Checks a project or environment key against the core's key rules. */
export function checkKey(what: string, key: string): void {
  if (!KeySchema.safeParse(key).success) {
    throw new ValidationError([
      {
        path: what,
        message: `invalid key ${JSON.stringify(key)}: use 1–128 of A–Z a–z 0–9 . _ - starting with a letter or digit`,
      },
    ]);
  }
}
