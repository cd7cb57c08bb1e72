import type { SystemFields } from '../stores/types.js';
import type { CommitMeta } from './context.js';

/** A project's definition stored by key with a version: a segment or a weight table. */
export interface DefinitionRecordOf<D> extends SystemFields {
  readonly project: string;
  readonly key: string;
  readonly version: number;
  readonly definition: D;
}

/**
 * The record a write leaves: the next version of `existing` holding `definition`, or, when
 * there is none, version 1 created by the commit's actor.
 */
export function nextDefinitionRecord<D>(
  project: string,
  key: string,
  existing: DefinitionRecordOf<D> | undefined,
  definition: D,
  meta: CommitMeta,
): DefinitionRecordOf<D> {
  const updated = { definition, updatedAt: meta.at, updatedBy: meta.actor };
  return existing === undefined
    ? { project, key, version: 1, createdAt: meta.at, createdBy: meta.actor, ...updated }
    : { ...existing, ...updated, version: existing.version + 1 };
}
