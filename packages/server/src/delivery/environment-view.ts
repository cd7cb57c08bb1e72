import type { Flag, Segment, WeightTable } from '@vexil/core';
import { flattenFlag } from '../services/flag-sets/build-flag-set.js';
import { segmentRefs } from '../services/flags/definition.js';
import type {
  EnvironmentRecord,
  EnvironmentState,
  FlagRecord,
  SegmentRecord,
  WeightTableRecord,
} from '../stores/types.js';
import type { SigningKeys } from './signing/signing-keys.js';
import { BuiltSnapshot, type Part, type SnapshotItem } from './snapshot.js';

/** A live flag as this environment sees it, serialized once. */
interface FlagEntry extends SnapshotItem<Flag> {
  /** Version and times of the record it was built from: unchanged means nothing to redo. */
  readonly stamp: string;
  readonly clientVisible: boolean;
  /** Segments it names (overrides, `segment` conditions). */
  readonly segments: readonly string[];
  /** Weight tables its rollouts and experiment name (`weightedBy`). */
  readonly tables: readonly string[];
}

interface TableEntry extends SnapshotItem<WeightTable> {
  readonly stamp: string;
}

interface SegmentEntry extends SnapshotItem<Segment> {
  readonly stamp: string;
  /** Segments its own conditions name. */
  readonly segments: readonly string[];
}

const CLOCK_WORDS = ['"ramp"', '"schedule"', '"experiment"', '"before"', '"after"', '$now'];

/**
 * One environment's flags and segments as SDKs get them (the result of `buildFlagSet`), kept
 * from one build to the next: a change rebuilds only the flags and segments it touched — each
 * flattened and serialized once — and a snapshot is then an array of references to the parts.
 * @example
 * const view = new EnvironmentView();
 * view.load(await store.readEnvironmentState('shop', 'production'));
 * view.update(environment, new Map([['checkout', record]]), new Map());
 * const { server, client } = view.build(new Date().toISOString(), keys);
 */
export class EnvironmentView {
  private environment: EnvironmentRecord | undefined;
  private readonly flags = new Map<string, FlagEntry>();
  private readonly segments = new Map<string, SegmentEntry>();
  /** Weight tables (a deleted one may linger: none of the flags names it). */
  private readonly tables = new Map<string, TableEntry>();
  /** Keys in code-unit order; undefined after keys came or went. */
  private flagOrder: string[] | undefined;
  private segmentOrder: string[] | undefined;

  /** The environment's version the view is at (0 before the first load). */
  get version(): number {
    return this.environment?.version ?? 0;
  }

  /** Takes in a whole environment (records whose version is unchanged are not rebuilt). */
  load(state: EnvironmentState): void {
    this.environment = state.environment;
    const liveFlags = new Set<string>();
    for (const record of state.flags) {
      if (record.archived) continue;
      liveFlags.add(record.key);
      this.putFlag(record.key, record);
    }
    for (const key of [...this.flags.keys()]) if (!liveFlags.has(key)) this.putFlag(key, undefined);
    const segments = new Set<string>();
    for (const record of state.segments) {
      segments.add(record.key);
      this.putSegment(record.key, record);
    }
    for (const key of [...this.segments.keys()]) if (!segments.has(key)) this.putSegment(key, undefined);
    const tables = new Set<string>();
    for (const record of state.weightTables) {
      tables.add(record.key);
      this.putTable(record);
    }
    for (const key of [...this.tables.keys()]) if (!tables.has(key)) this.tables.delete(key);
  }

  /**
   * Takes in what changed: the current record of each flag and segment named (undefined:
   * deleted; an archived flag leaves too), the weight tables those flags name, and the
   * environment at its new version.
   */
  update(
    environment: EnvironmentRecord,
    flags: ReadonlyMap<string, FlagRecord | undefined>,
    segments: ReadonlyMap<string, SegmentRecord | undefined>,
    tables: readonly WeightTableRecord[] = [],
  ): void {
    this.environment = environment;
    // Named by a change: rebuilt whatever their stamp says (a flag deleted and created again
    // within a millisecond has the same version and times).
    for (const [key, record] of flags)
      this.putFlag(key, record?.archived === true ? undefined : record, true);
    for (const [key, record] of segments) this.putSegment(key, record, true);
    for (const record of tables) this.putTable(record);
  }

  /** Both scopes' snapshots of the view as it is now. */
  build(generatedAt: string, keys: SigningKeys): { server: BuiltSnapshot; client: BuiltSnapshot } {
    const env = this.environment;
    if (env === undefined) throw new Error('the environment view was never loaded');
    this.flagOrder ??= [...this.flags.keys()].sort();
    this.segmentOrder ??= [...this.segments.keys()].sort();
    const flags: FlagEntry[] = [];
    const clientFlags: FlagEntry[] = [];
    for (const key of this.flagOrder) {
      const entry = this.flags.get(key)!;
      flags.push(entry);
      if (entry.clientVisible) clientFlags.push(entry);
    }
    const segments: SegmentEntry[] = [];
    for (const key of this.segmentOrder) segments.push(this.segments.get(key)!);
    const used = this.usedSegments(clientFlags);
    const clientSegments = segments.filter((s) => used.has(s.key));
    const head = { project: env.project, environment: env.key, version: env.version, generatedAt };
    return {
      server: new BuiltSnapshot({ ...head, scope: 'server' }, flags, segments, keys, this.usedTables(flags)),
      client: new BuiltSnapshot(
        { ...head, scope: 'client' },
        clientFlags,
        clientSegments,
        keys,
        this.usedTables(clientFlags),
      ),
    };
  }

  private putFlag(key: string, record: FlagRecord | undefined, force = false): void {
    const held = this.flags.get(key);
    if (record === undefined) {
      if (held !== undefined && this.flags.delete(key)) this.flagOrder = undefined;
      return;
    }
    const stamp = stampOf(record);
    if (held?.stamp === stamp && !force) return;
    const value = flattenFlag(record, this.environment!.key);
    this.flags.set(key, {
      key,
      value,
      part: partOf(key, value),
      stamp,
      clientVisible: record.definition.clientVisible === true,
      segments: [...segmentRefs(value)],
      tables: tablesNamed(value),
    });
    if (held === undefined) this.flagOrder = undefined;
  }

  private putSegment(key: string, record: SegmentRecord | undefined, force = false): void {
    const held = this.segments.get(key);
    if (record === undefined) {
      if (held !== undefined && this.segments.delete(key)) this.segmentOrder = undefined;
      return;
    }
    const stamp = stampOf(record);
    if (held?.stamp === stamp && !force) return;
    const value = record.definition;
    this.segments.set(key, { key, value, part: partOf(key, value), stamp, segments: namedSegments(value) });
    if (held === undefined) this.segmentOrder = undefined;
  }

  private putTable(record: WeightTableRecord): void {
    const stamp = stampOf(record);
    if (this.tables.get(record.key)?.stamp === stamp) return;
    this.tables.set(record.key, {
      key: record.key,
      value: record.definition,
      part: partOf(record.key, record.definition),
      stamp,
    });
  }

  /** The weight tables the flags name, by key; undefined when they name none (the set then has no `subjectWeights`). */
  private usedTables(flags: readonly FlagEntry[]): TableEntry[] | undefined {
    const used = new Set<string>();
    for (const flag of flags) for (const key of flag.tables) used.add(key);
    if (used.size === 0) return undefined;
    const tables: TableEntry[] = [];
    for (const key of [...used].sort()) {
      const table = this.tables.get(key);
      if (table !== undefined) tables.push(table);
    }
    return tables;
  }

  /** Segments the flags name, and the segments those name, transitively. */
  private usedSegments(flags: readonly FlagEntry[]): Set<string> {
    const used = new Set<string>();
    const queue: string[] = [];
    for (const flag of flags) for (const key of flag.segments) queue.push(key);
    while (queue.length > 0) {
      const key = queue.pop()!;
      const segment = this.segments.get(key);
      if (used.has(key) || segment === undefined) continue;
      used.add(key);
      for (const named of segment.segments) queue.push(named);
    }
    return used;
  }
}

/** Version and times: they tell a flag re-created under the same key and version apart. */
function stampOf(r: { version: number; createdAt: string; updatedAt: string }): string {
  return `${r.version}/${r.createdAt}/${r.updatedAt}`;
}

function partOf(key: string, value: unknown): Part {
  const json = JSON.stringify(value);
  return {
    json,
    bytes: Buffer.from(`${JSON.stringify(key)}:${json}`, 'utf8'),
    timeDependent: CLOCK_WORDS.some((word) => json.includes(word)),
  };
}

/** Weight tables a flag (as one environment sees it) names: its experiment's and its rollouts' `weightedBy`. */
function tablesNamed(flag: Flag): string[] {
  const named = new Set<string>();
  if (flag.experiment?.weightedBy !== undefined) named.add(flag.experiment.weightedBy);
  for (const serve of [flag.defaultServe, ...(flag.rules ?? []).map((r) => r.serve)])
    if (serve?.rollout?.weightedBy !== undefined) named.add(serve.rollout.weightedBy);
  return [...named];
}

function namedSegments(segment: Segment): string[] {
  const named: string[] = [];
  for (const c of segment.conditions ?? []) {
    if (c.op !== 'segment') continue;
    for (const v of c.values ?? (c.value === undefined ? [] : [c.value]))
      if (typeof v === 'string') named.push(v);
  }
  return named;
}
