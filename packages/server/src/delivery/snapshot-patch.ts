import type { Flag, Segment } from '@vexil/core';
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
 * client flag started using, is in it.
 */
export function diffSnapshots(previous: BuiltSnapshot | undefined, next: BuiltSnapshot): PatchRecord {
  const previousVersion = previous?.version ?? 0;
  const flags = diffItems(previous?.flagItems, next.flagItems);
  const segments = diffItems(previous?.segmentItems, next.segmentItems);
  const json = `{"version":${next.version},"previousVersion":${previousVersion},"flags":{${flags.json}},"segments":{${segments.json}}}`;
  return {
    version: next.version,
    previousVersion,
    patch: {
      version: next.version,
      previousVersion,
      flags: flags.values as Record<string, Flag | null>,
      segments: segments.values as Record<string, Segment | null>,
    },
    json,
  };
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
    if (b === undefined || (a !== undefined && a.key < b.key)) {
      removed(a!);
      i++;
    } else if (a === undefined || b.key < a.key) {
      added(b);
      j++;
    } else {
      if (a.part !== b.part && a.part.json !== b.part.json) added(b);
      i++;
      j++;
    }
  }
  return { values: changed, json: parts.join(',') };
}
