import { isDeepStrictEqual } from 'node:util';
import { type WeightTable, WeightTableSchema } from '@vexil/core';
import { AlreadyExistsError, InUseError, ValidationError, VersionConflictError } from '../errors/index.js';
import type { StoreReader, StoreWriter } from '../stores/store.js';
import type { ListResult, WeightTableRecord } from '../stores/types.js';
import type { Change, ChangeSet, CommitMeta, Delivery, ServiceContext, WriteOptions } from './context.js';
import { RetryChange } from './context.js';
import { nextDefinitionRecord } from './definition-record.js';
import { weightTableRefs } from './flags/definition.js';
import { mergePatch } from './flags/merge-patch.js';
import {
  ALL,
  checkKey,
  checkVersion,
  environmentKeys,
  page,
  requireProject,
  requireWeightTable,
} from './lookups.js';
import { weightTableSummary } from './views.js';
import { zodIssues } from './zod-issues.js';

/**
 * Subject weight tables: per project, bucket-by values (accounts, tenants) with a weight
 * each, for rollouts and experiments that split by weight (`weightedBy`) rather than by
 * head count. Shared by every environment; SDK snapshots carry the tables their flags use.
 * @example
 * await vexil.subjectWeights.put('shop', 'accounts', { weights: { acme: 50, globex: 10 } });
 * await vexil.subjectWeights.patch('shop', 'accounts', { weights: { acme: 60, globex: null } });
 */
export class SubjectWeightService {
  constructor(private readonly ctx: ServiceContext) {}

  get(project: string, key: string): Promise<WeightTableRecord> {
    return requireWeightTable(this.ctx.store, project, key);
  }

  async list(
    project: string,
    options: { limit?: number | undefined; offset?: number | undefined; text?: string | undefined } = {},
  ): Promise<ListResult<WeightTableRecord>> {
    await requireProject(this.ctx.store, project);
    return this.ctx.store.listWeightTables(project, { ...page(options), text: options.text });
  }

  /**
   * Creates the table, or replaces it. Preconditions: `exists: false` creates only (a table
   * that exists fails with `VersionConflictError`); `expectedVersion` or `exists: true`
   * replaces only (a missing table fails the same way, as HTTP's `If-Match` does: 412).
   * A bad `key` is reported at the path `key`.
   */
  put(
    project: string,
    key: string,
    definition: unknown,
    options: WriteOptions = {},
  ): Promise<{ table: WeightTableRecord; created: boolean }> {
    return this.ctx.commit(
      options,
      async (tx, meta): Promise<ChangeSet<{ table: WeightTableRecord; created: boolean }>> => {
        checkKey('key', key);
        await requireProject(tx, project);
        const current = await tx.getWeightTable(project, key);
        if (current !== undefined && options.exists === false)
          throw new VersionConflictError('weight table', key, null, current.version);
        if (current === undefined && (options.exists === true || options.expectedVersion !== undefined))
          throw new VersionConflictError('weight table', key, options.expectedVersion ?? '*', 0);
        const valid = validateTable(key, definition);
        if (current === undefined) {
          const record: WeightTableRecord = nextDefinitionRecord(project, key, undefined, valid, meta);
          try {
            await tx.insertWeightTable(record);
          } catch (error) {
            // Created meanwhile: try again, to replace it or to meet the precondition.
            if (error instanceof AlreadyExistsError) throw new RetryChange();
            throw error;
          }
          return {
            result: { table: record, created: true },
            changes: [tableChange('weightTable.create', record, null, auditView(record))],
          };
        }
        const set = await this.write(tx, current, valid, options, meta);
        return { ...set, result: { table: set.result, created: false } };
      },
    );
  }

  /**
   * Applies a JSON merge patch (RFC 7396): `{ "weights": { "acme": 60, "globex": null } }`
   * sets acme's weight and takes globex out, leaving the other subjects as they are.
   */
  patch(
    project: string,
    key: string,
    patch: unknown,
    options: WriteOptions = {},
  ): Promise<WeightTableRecord> {
    return this.ctx.commit(options, async (tx, meta) => {
      const current = await requireWeightTable(tx, project, key);
      const valid = validateTable(key, mergePatch(current.definition, patch));
      return this.write(tx, current, valid, options, meta);
    });
  }

  /** Deletes the table; refused while a flag names it in `weightedBy`. */
  delete(project: string, key: string, options: WriteOptions = {}): Promise<void> {
    return this.ctx.commit(options, async (tx) => {
      const current = await requireWeightTable(tx, project, key);
      checkVersion('weight table', key, current.version, options.expectedVersion);
      const users = await tableUsers(tx, project, key);
      if (users.length > 0)
        throw new InUseError(
          'weight table',
          key,
          users.map((u) => `flag ${JSON.stringify(u)}`),
          { flags: users },
        );
      await tx.deleteWeightTable(project, key);
      return {
        result: undefined,
        changes: [tableChange('weightTable.delete', current, auditView(current), null)],
      };
    });
  }

  private async write(
    tx: StoreWriter,
    current: WeightTableRecord,
    definition: WeightTable,
    options: WriteOptions,
    meta: CommitMeta,
  ): Promise<ChangeSet<WeightTableRecord>> {
    checkVersion('weight table', current.key, current.version, options.expectedVersion);
    // Subjects in another order are the same table.
    if (isDeepStrictEqual(definition, current.definition)) return { result: current, changes: [] };
    const next: WeightTableRecord = nextDefinitionRecord(
      current.project,
      current.key,
      current,
      definition,
      meta,
    );
    if (!(await tx.updateWeightTable(next, current.version))) throw new RetryChange();
    const { before, after } = auditDiff(current, next);
    return {
      result: next,
      changes: [tableChange('weightTable.update', next, before, after)],
      delivery: await delivery(tx, current.project, current.key),
    };
  }
}

/** Checks a table against the core's schema; a JSON round trip drops `undefined` fields. */
function validateTable(key: string, input: unknown): WeightTable {
  const parsed = WeightTableSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(zodIssues(parsed.error), `invalid weight table ${JSON.stringify(key)}`);
  return JSON.parse(JSON.stringify(parsed.data)) as WeightTable;
}

/** Flags (live or archived) whose rollouts or experiments name the table. */
async function tableUsers(db: StoreReader, project: string, key: string): Promise<string[]> {
  const flags = (await db.listFlags(project, ALL)).items;
  return flags.filter((f) => weightTableRefs(f.definition).has(key)).map((f) => f.key);
}

/** A changed table reaches SDKs only through the flags that use it: no user, no new version. */
async function delivery(db: StoreReader, project: string, key: string): Promise<Delivery[]> {
  const users = await tableUsers(db, project, key);
  if (users.length === 0) return [];
  return [{ project, environments: await environmentKeys(db, project), flags: users }];
}

/** The whole table, for the audit entry of a creation or a deletion. */
export function auditView(r: WeightTableRecord) {
  return { ...weightTableSummary(r), weights: r.definition.weights };
}

/**
 * An update's audit entry: the table's summary before and after, with only the subjects
 * that changed (added, removed or reweighted) — a table may list many thousands.
 */
export function auditDiff(before: WeightTableRecord, after: WeightTableRecord) {
  const old = before.definition.weights;
  const now = after.definition.weights;
  const was: Record<string, number> = {};
  const is: Record<string, number> = {};
  for (const subject of Object.keys(old)) {
    if (old[subject] === now[subject]) continue;
    was[subject] = old[subject]!;
    if (Object.hasOwn(now, subject)) is[subject] = now[subject]!;
  }
  for (const subject of Object.keys(now)) if (!Object.hasOwn(old, subject)) is[subject] = now[subject]!;
  return {
    before: { ...weightTableSummary(before), changedWeights: was },
    after: { ...weightTableSummary(after), changedWeights: is },
  };
}

export function tableChange(action: string, t: WeightTableRecord, before: unknown, after: unknown): Change {
  return {
    action,
    resourceType: 'weightTable',
    project: t.project,
    environment: null,
    key: t.key,
    version: t.version,
    before,
    after,
  };
}
