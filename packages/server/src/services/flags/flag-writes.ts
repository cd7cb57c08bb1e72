import { isDeepStrictEqual } from 'node:util';
import { VersionConflictError } from '../../errors/index.js';
import type { StoreWriter } from '../../stores/store.js';
import type { FlagDefinition, FlagRecord } from '../../stores/types.js';
import type { Change, ChangeSet, CommitMeta, Delivery, ServiceContext, WriteOptions } from '../context.js';
import { RetryChange } from '../context.js';
import { checkVersion, environmentKeys, requireFlag } from '../lookups.js';
import { flagView } from '../views.js';
import { validateFlag } from './validate-flag.js';

/** The next state of a flag, computed from the current one. */
export interface FlagUpdate {
  readonly definition?: unknown;
  readonly archived?: boolean;
}

/** Environments whose flag set a change from `before` to `after` alters. */
export function affectedEnvironments(
  before: FlagRecord | undefined,
  after: FlagRecord | undefined,
  environments: readonly string[],
): string[] {
  if (before === undefined || after === undefined) return [...environments];
  const { environments: envBefore, ...baseBefore } = before.definition;
  const { environments: envAfter, ...baseAfter } = after.definition;
  if (before.archived !== after.archived || !isDeepStrictEqual(baseBefore, baseAfter))
    return [...environments];
  return environments.filter((env) => !isDeepStrictEqual(envBefore?.[env], envAfter?.[env]));
}

/** Writes a new version of a flag with its history row; returns the change and its delivery. */
export async function writeFlagVersion(
  tx: StoreWriter,
  meta: CommitMeta,
  action: string,
  current: FlagRecord,
  next: { definition: FlagDefinition; archived: boolean },
  expectedVersion: number | undefined,
  /** The project's environments, when the caller has them already. */
  projectEnvironments?: readonly string[],
): Promise<{ record: FlagRecord; change: Change; delivery: Delivery }> {
  const record: FlagRecord = {
    ...current,
    ...next,
    version: current.version + 1,
    updatedAt: meta.at,
    updatedBy: meta.actor,
  };
  if (!(await tx.updateFlag(record, current.version))) {
    const now = await tx.getFlag(current.project, current.key);
    if (expectedVersion !== undefined && now !== undefined) {
      throw new VersionConflictError('flag', current.key, expectedVersion, now.version);
    }
    throw new RetryChange();
  }
  await tx.insertFlagVersion({
    project: record.project,
    key: record.key,
    version: record.version,
    archived: record.archived,
    definition: record.definition,
    action,
    actor: meta.actor,
    at: meta.at,
  });
  const environments = affectedEnvironments(
    current,
    record,
    projectEnvironments ?? (await environmentKeys(tx, record.project)),
  );
  return {
    record,
    change: {
      action,
      resourceType: 'flag',
      project: record.project,
      environment: null,
      key: record.key,
      version: record.version,
      before: flagView(current),
      after: flagView(record),
    },
    delivery: { project: record.project, environments, flags: [record.key] },
  };
}

/**
 * Applies `update` to the current flag in one commit: checks the expected version,
 * validates the result, and writes nothing when nothing changes. Without an expected
 * version, a lost race re-reads the flag and applies `update` again.
 */
export function mutateFlag(
  ctx: ServiceContext,
  project: string,
  key: string,
  action: string,
  update: (current: FlagRecord, tx: StoreWriter) => FlagUpdate | Promise<FlagUpdate>,
  options: WriteOptions = {},
  environment: string | null = null,
): Promise<FlagRecord> {
  return ctx.commit(options, async (tx, meta): Promise<ChangeSet<FlagRecord>> => {
    const current = await requireFlag(tx, project, key);
    checkVersion('flag', key, current.version, options.expectedVersion);
    const wanted = await update(current, tx);
    const environments = await environmentKeys(tx, project);
    const definition =
      wanted.definition === undefined
        ? current.definition
        : await validateFlag({ db: tx, project, environments }, key, wanted.definition);
    const archived = wanted.archived ?? current.archived;
    if (archived === current.archived && isDeepStrictEqual(definition, current.definition)) {
      return { result: current, changes: [] };
    }
    const written = await writeFlagVersion(
      tx,
      meta,
      action,
      current,
      { definition, archived },
      options.expectedVersion,
      environments,
    );
    return {
      result: written.record,
      changes: [{ ...written.change, environment }],
      delivery: [written.delivery],
    };
  });
}
