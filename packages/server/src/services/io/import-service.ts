import type { FlagSetDefinition } from '@vexil/core';
import type { StoreWriter } from '../../stores/store.js';
import type { FlagRecord, SegmentRecord, WeightTableRecord } from '../../stores/types.js';
import {
  type Change,
  type CommitMeta,
  type Delivery,
  RetryChange,
  type ServiceContext,
  type WriteOptions,
} from '../context.js';
import { nextDefinitionRecord } from '../definition-record.js';
import { flagChange } from '../flags/flag-service.js';
import { affectedEnvironments } from '../flags/flag-writes.js';
import { environmentKeys } from '../lookups.js';
import { auditDiff, auditView, tableChange } from '../subject-weight-service.js';
import { flagView, segmentView } from '../views.js';
import { exportEnvironment, exportProject } from './export.js';
import { type ImportDiff, type ImportOptions, type ImportPlan, planImport } from './import-plan.js';

/** What an import changed (or, in a dry run, would change). */
export interface ImportResult {
  readonly dryRun: boolean;
  readonly project: string;
  readonly environment: string | null;
  readonly mode: ImportPlan['mode'];
  readonly flags: ImportDiff;
  readonly segments: ImportDiff;
  readonly subjectWeights: ImportDiff;
}

/**
 * Export and import in the core's flag-set format, for a whole project or one environment.
 * An import is one commit: every flag, segment and weight table it touches changes together,
 * each with its audit entry, or nothing changes.
 */
export class ImportExportService {
  constructor(private readonly ctx: ServiceContext) {}

  exportProject(project: string): Promise<FlagSetDefinition> {
    return exportProject(this.ctx.store, project, this.ctx.now());
  }

  exportEnvironment(project: string, environment: string): Promise<FlagSetDefinition> {
    return exportEnvironment(this.ctx.store, project, environment, this.ctx.now());
  }

  /** Imports a flag set (an object; parse JSON or YAML first). With `dryRun`, only reports. */
  async import(
    project: string,
    input: unknown,
    options: ImportOptions & WriteOptions & { dryRun?: boolean | undefined } = {},
  ): Promise<ImportResult> {
    if (options.dryRun === true)
      return result(await planImport(this.ctx.store, project, input, options), true);
    return this.ctx.commit({ comment: 'import', ...options }, async (tx, meta) => {
      const plan = await planImport(tx, project, input, options);
      const { changes, delivery } = await apply(tx, meta, plan);
      return { result: result(plan, false), changes, delivery: [delivery] };
    });
  }
}

function result(plan: ImportPlan, dryRun: boolean): ImportResult {
  const { project, environment, mode, flags, segments, subjectWeights } = plan;
  return { dryRun, project, environment, mode, flags, segments, subjectWeights };
}

async function apply(
  tx: StoreWriter,
  meta: CommitMeta,
  plan: ImportPlan,
): Promise<{ changes: Change[]; delivery: Delivery }> {
  const { project } = plan;
  const environments = await environmentKeys(tx, project);
  const touched = new Set<string>();
  const changes: Change[] = [];
  const system = { updatedAt: meta.at, updatedBy: meta.actor };

  for (const w of plan.segmentWrites) {
    const next: SegmentRecord = nextDefinitionRecord(project, w.key, w.existing, w.definition, meta);
    if (w.existing === undefined) await tx.insertSegment(next);
    else if (!(await tx.updateSegment(next, w.existing.version))) throw new RetryChange();
    changes.push(
      segmentChange(
        w.existing ? 'segment.update' : 'segment.create',
        next,
        w.existing ? segmentView(w.existing) : null,
        segmentView(next),
      ),
    );
  }
  for (const w of plan.tableWrites) {
    const next: WeightTableRecord = nextDefinitionRecord(project, w.key, w.existing, w.definition, meta);
    if (w.existing === undefined) {
      await tx.insertWeightTable(next);
      changes.push(tableChange('weightTable.create', next, null, auditView(next)));
    } else {
      if (!(await tx.updateWeightTable(next, w.existing.version))) throw new RetryChange();
      const { before, after } = auditDiff(w.existing, next);
      changes.push(tableChange('weightTable.update', next, before, after));
    }
  }
  for (const w of plan.flagWrites) {
    const next: FlagRecord = w.existing
      ? {
          ...w.existing,
          ...system,
          definition: w.definition,
          archived: w.archived,
          version: w.existing.version + 1,
        }
      : {
          project,
          key: w.key,
          version: 1,
          archived: w.archived,
          definition: w.definition,
          createdAt: meta.at,
          createdBy: meta.actor,
          ...system,
        };
    if (w.existing === undefined) await tx.insertFlag(next);
    else if (!(await tx.updateFlag(next, w.existing.version))) throw new RetryChange();
    const action = w.existing ? 'flag.update' : 'flag.create';
    await tx.insertFlagVersion({ ...next, action, actor: meta.actor, at: meta.at });
    for (const env of affectedEnvironments(w.existing, next, environments)) touched.add(env);
    changes.push(flagChange(action, next, w.existing ? flagView(w.existing) : null, flagView(next)));
  }
  for (const f of plan.flagDeletes) {
    await tx.deleteFlag(project, f.key);
    for (const e of environments) touched.add(e);
    changes.push(flagChange('flag.delete', f, flagView(f), null));
  }
  for (const s of plan.segmentDeletes) {
    await tx.deleteSegment(project, s.key);
    changes.push(segmentChange('segment.delete', s, segmentView(s), null));
  }
  for (const t of plan.tableDeletes) {
    await tx.deleteWeightTable(project, t.key);
    changes.push(tableChange('weightTable.delete', t, auditView(t), null));
  }
  const segmentKeys = [...plan.segmentWrites.map((w) => w.key), ...plan.segmentDeletes.map((s) => s.key)];
  if (segmentKeys.length > 0) for (const e of environments) touched.add(e);
  // Flags weighted by a table that changed serve differently: every environment gets a new version.
  if (plan.tableWrites.length > 0 || plan.tableDeletes.length > 0)
    for (const e of environments) touched.add(e);
  const delivery: Delivery = {
    project,
    environments: [...touched],
    flags: [...plan.flagWrites.map((w) => w.key), ...plan.flagDeletes.map((f) => f.key)],
    segments: segmentKeys,
  };
  return { changes, delivery };
}

function segmentChange(action: string, s: SegmentRecord, before: unknown, after: unknown): Change {
  return {
    action,
    resourceType: 'segment',
    project: s.project,
    environment: null,
    key: s.key,
    version: s.version,
    before,
    after,
  };
}
