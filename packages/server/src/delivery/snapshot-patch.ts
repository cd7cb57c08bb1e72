import type { Flag, Segment } from '@vexil/core';
import type { BuiltSnapshot, Part } from './snapshot.js';

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
 * The patch from `previous` to `next`, found by comparing each flag's and segment's JSON
 * (so a flag that became client-visible, or a segment a client flag started using, is in it).
 */
export function diffSnapshots(previous: BuiltSnapshot | undefined, next: BuiltSnapshot): PatchRecord {
  const previousVersion = previous?.version ?? 0;
  const flags = diffMaps(previous?.flagParts, next.flagParts, next.definition.flags);
  const segments = diffMaps(previous?.segmentParts, next.segmentParts, next.definition.segments ?? {});
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

function diffMaps(
  before: ReadonlyMap<string, Part> | undefined,
  after: ReadonlyMap<string, Part>,
  values: Readonly<Record<string, unknown>>,
): { values: Record<string, unknown>; json: string } {
  const changed: Record<string, unknown> = {};
  const parts: string[] = [];
  for (const [key, part] of after) {
    const old = before?.get(key);
    if (old !== undefined && (old === part || old.json === part.json)) continue;
    changed[key] = values[key];
    parts.push(`${JSON.stringify(key)}:${part.json}`);
  }
  if (before !== undefined) {
    for (const key of before.keys()) {
      if (after.has(key)) continue;
      changed[key] = null;
      parts.push(`${JSON.stringify(key)}:null`);
    }
  }
  return { values: changed, json: parts.join(',') };
}
