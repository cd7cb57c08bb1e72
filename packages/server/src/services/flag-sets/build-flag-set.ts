import {
  type Flag,
  type FlagSetDefinition,
  FORMAT_VERSION,
  type Segment,
  type WeightTable,
} from '@vexil/core';
import type { EnvironmentState, FlagRecord } from '../../stores/types.js';
import { CONFIG_FIELDS, effectiveConfig, segmentRefs, weightTableRefs } from '../flags/definition.js';

/** `server`: every live flag; `client`: only flags with `clientVisible: true`. */
export type FlagSetScope = 'server' | 'client';

/**
 * The flag set of one environment, as SDKs get it: each live flag with the environment's
 * settings laid over its flag-level ones (other environments' settings left out), the
 * segments those flags use (all of them for `server`), the weight tables they use (in both
 * scopes: a table may be large, and may hold figures a browser shouldn't see), and the
 * environment's version. A set without weighted flags has no `subjectWeights`.
 */
export function buildFlagSet(
  state: EnvironmentState,
  scope: FlagSetScope,
  generatedAt: string,
): FlagSetDefinition {
  const env = state.environment;
  const flags: Record<string, Flag> = {};
  for (const record of state.flags) {
    if (record.archived) continue;
    if (scope === 'client' && record.definition.clientVisible !== true) continue;
    flags[record.key] = flattenFlag(record, env.key);
  }
  const all = new Map(state.segments.map((s) => [s.key, s.definition]));
  const segments: Record<string, Segment> = {};
  const keys = scope === 'server' ? [...all.keys()] : usedSegments(Object.values(flags), all);
  for (const key of keys.sort()) segments[key] = all.get(key)!;
  const subjectWeights = usedWeightTables(Object.values(flags), state.weightTables);
  return {
    formatVersion: FORMAT_VERSION,
    project: env.project,
    environment: env.key,
    scope,
    version: env.version,
    generatedAt,
    segments,
    ...(subjectWeights === undefined ? {} : { subjectWeights }),
    flags,
  };
}

/** A flag as one environment sees it: flag-level settings replaced by the environment's own. */
export function flattenFlag(record: FlagRecord, environment: string): Flag {
  const { environments: _environments, ...rest } = record.definition;
  const flag: Record<string, unknown> = { ...rest };
  for (const field of CONFIG_FIELDS) delete flag[field];
  Object.assign(flag, effectiveConfig(record.definition, environment));
  flag.version = record.version;
  return flag as Flag;
}

/** The weight tables the (flattened) flags name, by key; undefined when they name none. */
function usedWeightTables(
  flags: readonly Flag[],
  tables: EnvironmentState['weightTables'],
): Record<string, WeightTable> | undefined {
  const used = new Set<string>();
  for (const flag of flags) for (const key of weightTableRefs(flag)) used.add(key);
  if (used.size === 0) return undefined;
  const out: Record<string, WeightTable> = {};
  for (const table of tables) if (used.has(table.key)) out[table.key] = table.definition;
  return out;
}

/** Segments the flags name, and the segments those name, transitively. */
function usedSegments(flags: readonly Flag[], all: ReadonlyMap<string, Segment>): string[] {
  const used = new Set<string>();
  const queue: string[] = [];
  for (const flag of flags) for (const key of segmentRefs(flag)) queue.push(key);
  while (queue.length > 0) {
    const key = queue.pop()!;
    if (used.has(key) || !all.has(key)) continue;
    used.add(key);
    for (const c of all.get(key)!.conditions ?? []) {
      if (c.op !== 'segment') continue;
      for (const v of c.values ?? (c.value === undefined ? [] : [c.value]))
        if (typeof v === 'string') queue.push(v);
    }
  }
  return [...used];
}
