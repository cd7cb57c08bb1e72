import { type Segment, SegmentSchema } from '@vexil/core';
import { InUseError, ValidationError } from '../errors/index.js';
import type { StoreReader } from '../stores/store.js';
import type { ListResult, SegmentRecord } from '../stores/types.js';
import type { Change, ServiceContext, WriteOptions } from './context.js';
import { RetryChange } from './context.js';
import { nextDefinitionRecord } from './definition-record.js';
import { checkFlagSet } from './flag-sets/check-flag-set.js';
import { segmentRefs } from './flags/definition.js';
import { mergePatch } from './flags/merge-patch.js';
import {
  ALL,
  checkKey,
  checkVersion,
  environmentKeys,
  page,
  requireProject,
  requireSegment,
} from './lookups.js';
import { segmentView } from './views.js';
import { relativeIssues, zodIssues } from './zod-issues.js';

/**
 * Segments: reusable groups of subjects (included keys, excluded keys, conditions),
 * shared by every environment of a project.
 * @example
 * await vexil.segments.create('shop', 'beta-testers', { included: ['user-1'] });
 */
export class SegmentService {
  constructor(private readonly ctx: ServiceContext) {}

  create(
    project: string,
    key: string,
    definition: unknown,
    options: WriteOptions = {},
  ): Promise<SegmentRecord> {
    return this.ctx.commit(options, async (tx, meta) => {
      checkKey('segment', key);
      await requireProject(tx, project);
      const valid = await validateSegment(tx, project, key, definition);
      const record: SegmentRecord = nextDefinitionRecord(project, key, undefined, valid, meta);
      await tx.insertSegment(record);
      return {
        result: record,
        changes: [segmentChange('segment.create', record, null, segmentView(record))],
        delivery: [{ project, environments: await environmentKeys(tx, project), segments: [key] }],
      };
    });
  }

  async exists(project: string, key: string): Promise<boolean> {
    return (await this.ctx.store.getSegment(project, key)) !== undefined;
  }

  get(project: string, key: string): Promise<SegmentRecord> {
    return requireSegment(this.ctx.store, project, key);
  }

  async list(
    project: string,
    options: { limit?: number | undefined; offset?: number | undefined; text?: string | undefined } = {},
  ): Promise<ListResult<SegmentRecord>> {
    await requireProject(this.ctx.store, project);
    return this.ctx.store.listSegments(project, { ...page(options), text: options.text });
  }

  replace(project: string, key: string, definition: unknown, options: WriteOptions = {}) {
    return this.change(project, key, options, () => definition);
  }

  /** Applies a JSON merge patch (RFC 7396). */
  patch(project: string, key: string, patch: unknown, options: WriteOptions = {}) {
    return this.change(project, key, options, (current) => mergePatch(current, patch));
  }

  /** Adds keys to `included` (and takes them out of `excluded`). */
  include(project: string, key: string, keys: readonly string[], options: WriteOptions = {}) {
    return this.change(project, key, options, (s) => moveKeys(s, keys, 'included', 'excluded'));
  }

  /** Adds keys to `excluded` (and takes them out of `included`). */
  exclude(project: string, key: string, keys: readonly string[], options: WriteOptions = {}) {
    return this.change(project, key, options, (s) => moveKeys(s, keys, 'excluded', 'included'));
  }

  /** Deletes the segment; refused while a flag or another segment uses it. */
  delete(project: string, key: string, options: WriteOptions = {}): Promise<void> {
    return this.ctx.commit(options, async (tx) => {
      const current = await requireSegment(tx, project, key);
      checkVersion('segment', key, current.version, options.expectedVersion);
      const users = await segmentUsers(tx, project, key);
      if (users.length > 0) throw new InUseError('segment', key, users);
      await tx.deleteSegment(project, key);
      return {
        result: undefined,
        changes: [segmentChange('segment.delete', current, segmentView(current), null)],
        delivery: [{ project, environments: await environmentKeys(tx, project), segments: [key] }],
      };
    });
  }

  private change(project: string, key: string, options: WriteOptions, f: (current: Segment) => unknown) {
    return this.ctx.commit(options, async (tx, meta) => {
      const current = await requireSegment(tx, project, key);
      checkVersion('segment', key, current.version, options.expectedVersion);
      const definition = await validateSegment(tx, project, key, f(current.definition));
      if (JSON.stringify(definition) === JSON.stringify(current.definition))
        return { result: current, changes: [] };
      const next: SegmentRecord = nextDefinitionRecord(project, key, current, definition, meta);
      if (!(await tx.updateSegment(next, current.version))) throw new RetryChange();
      return {
        result: next,
        changes: [segmentChange('segment.update', next, segmentView(current), segmentView(next))],
        delivery: [{ project, environments: await environmentKeys(tx, project), segments: [key] }],
      };
    });
  }
}

/** Checks a segment against the schema and the project's other segments (known keys, no loops). */
async function validateSegment(
  db: StoreReader,
  project: string,
  key: string,
  input: unknown,
): Promise<Segment> {
  const parsed = SegmentSchema.safeParse(input);
  if (!parsed.success)
    throw new ValidationError(zodIssues(parsed.error), `invalid segment ${JSON.stringify(key)}`);
  const definition = JSON.parse(JSON.stringify(parsed.data)) as Segment;
  const segments = Object.fromEntries(
    (await db.listSegments(project, ALL)).items.map((s) => [s.key, s.definition]),
  );
  const checked = checkFlagSet({ segments: { ...segments, [key]: definition }, flags: {} });
  if (!checked.success) {
    throw new ValidationError(
      relativeIssues(checked.error.issues, ['segments', key]),
      `invalid segment ${JSON.stringify(key)}`,
    );
  }
  return definition;
}

/** Flags and segments that name `key`. */
async function segmentUsers(db: StoreReader, project: string, key: string): Promise<string[]> {
  const users: string[] = [];
  for (const flag of (await db.listFlags(project, ALL)).items) {
    if (segmentRefs(flag.definition).has(key)) users.push(`flag ${JSON.stringify(flag.key)}`);
  }
  for (const segment of (await db.listSegments(project, ALL)).items) {
    if (segment.key === key) continue;
    const uses = segment.definition.conditions?.some(
      (c) => c.op === 'segment' && (c.values ?? [c.value]).includes(key),
    );
    if (uses) users.push(`segment ${JSON.stringify(segment.key)}`);
  }
  return users;
}

function moveKeys(
  s: Segment,
  keys: readonly string[],
  to: 'included' | 'excluded',
  from: 'included' | 'excluded',
): Segment {
  const moving = new Set(keys);
  const next: Segment = { ...s, [to]: [...new Set([...(s[to] ?? []), ...keys])] };
  const rest = (s[from] ?? []).filter((k) => !moving.has(k));
  if (rest.length > 0) next[from] = rest;
  else delete next[from];
  return next;
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
