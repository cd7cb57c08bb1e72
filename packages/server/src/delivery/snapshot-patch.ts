import type { Flag, Segment, WeightTable } from '@vexil/core';
import type { BuiltSnapshot, SnapshotItem } from './snapshot.js';

/**
 * What changed between two versions of a snapshot: enough to apply without a refetch.
 * `null` means removed (deleted, archived, or no longer client-visible).
 */
export interface SnapshotPatch {
  readonly version: number;
  readonly previousVersion: number;
  readonly flags: Readonly<Record<string, Flag | null>>;
  readonly segments: Readonly<Record<string, Segment | null>>;
  /** Weight tables added, changed or (null) no longer used; absent when none did. */
  readonly subjectWeights?: Readonly<Record<string, WeightTable | null>>;
}

/** A patch with its JSON text (serialized once, written to every subscriber). */
export interface PatchRecord {
  readonly version: number;
  readonly previousVersion: number;
  readonly patch: SnapshotPatch;
  readonly json: string;
}

/**
 * The patch from `previous` to `next`, found by walking both snapshots' flags and segments
 * (ordered by key) side by side: an unchanged flag is the same part in both, so only what a
 * change touched is compared by its JSON. A flag that became client-visible, or a segment a
 * client flag started using, is in it; so are the weight tables that changed, came or went
 * (`subjectWeights`, only when some did).
 */
export function diffSnapshots(previous: BuiltSnapshot | undefined, next: BuiltSnapshot): PatchRecord {
  const previousVersion = previous?.version ?? 0;
  const flags = diffItems(previous?.flagItems, next.flagItems);
  const segments = diffItems(previous?.segmentItems, next.segmentItems);
  const tables = diffItems(previous?.tableItems, next.tableItems ?? []);
  const withTables = tables.json !== '';
  const json = `{"version":${next.version},"previousVersion":${previousVersion},"flags":{${flags.json}},"segments":{${segments.json}}${withTables ? `,"subjectWeights":{${tables.json}}` : ''}}`;
  const patch: SnapshotPatch = {
    version: next.version,
    previousVersion,
    flags: flags.values as Record<string, Flag | null>,
    segments: segments.values as Record<string, Segment | null>,
    ...(withTables ? { subjectWeights: tables.values as Record<string, WeightTable | null> } : {}),
  };
  return { version: next.version, previousVersion, patch, json };
}

function diffItems(
  before: readonly SnapshotItem<unknown>[] | undefined,
  after: readonly SnapshotItem<unknown>[],
): { values: Record<string, unknown>; json: string } {
  const changed: Record<string, unknown> = {};
  const parts: string[] = [];
  const old = before ?? [];
  const added = (item: SnapshotItem<unknown>) => {
    changed[item.key] = item.value;
    parts.push(`${JSON.stringify(item.key)}:${item.part.json}`);
  };
  const removed = (item: SnapshotItem<unknown>) => {
    changed[item.key] = null;
    parts.push(`${JSON.stringify(item.key)}:null`);
  };
  let i = 0;
  let j = 0;
  while (i < old.length || j < after.length) {
    const a = old[i];
    const b = after[j];
    if (a === b) {
      // The same item in both (unchanged): the common case, decided without looking inside.
      i++;
      j++;
    } else if (a !== undefined && b !== undefined && a.key === b.key) {
      if (a.part !== b.part && a.part.json !== b.part.json) added(b);
      i++;
      j++;
    } else if (b === undefined || (a !== undefined && a.key < b.key)) {
      removed(a!);
      i++;
    } else {
      added(b);
      j++;
    }
  }
  return { values: changed, json: parts.join(',') };
}
