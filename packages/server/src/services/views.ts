import { type Flag, type Segment, totalWeight, type WeightTable } from '@vexil/core';
import type {
  ApiKeyRecord,
  FlagRecord,
  FlagVersionRecord,
  SegmentRecord,
  SystemFields,
  WeightTableRecord,
} from '../stores/types.js';

/** A flag as the API shows it: the core format with its key, project and system fields. */
export type FlagView = Flag & {
  readonly key: string;
  readonly project: string;
  readonly version: number;
  readonly archived: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly updatedBy: string;
};

export function flagView(r: FlagRecord): FlagView {
  return {
    key: r.key,
    project: r.project,
    ...r.definition,
    archived: r.archived,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
  };
}

export function flagVersionView(r: FlagVersionRecord) {
  return {
    key: r.key,
    project: r.project,
    version: r.version,
    action: r.action,
    actor: r.actor,
    at: r.at,
    flag: { ...r.definition, archived: r.archived, version: r.version } satisfies Flag,
  };
}

export type SegmentView = Segment &
  SystemFields & { readonly key: string; readonly project: string; readonly version: number };

export function segmentView(r: SegmentRecord): SegmentView {
  return {
    key: r.key,
    project: r.project,
    ...r.definition,
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
  };
}

/** A weight table without its subjects: what lists show. */
export type WeightTableSummary = Omit<WeightTable, 'weights'> &
  SystemFields & {
    readonly key: string;
    readonly project: string;
    readonly version: number;
    /** How many subjects the table lists. */
    readonly subjects: number;
    /** The sum of their weights. */
    readonly totalWeight: number;
  };

/** A weight table as the API shows it: the core's format with its key, project, size and system fields. */
export type WeightTableView = WeightTableSummary & { readonly weights: WeightTable['weights'] };

export function weightTableSummary(r: WeightTableRecord): WeightTableSummary {
  const { weights, ...rest } = r.definition;
  return {
    key: r.key,
    project: r.project,
    ...rest,
    subjects: Object.keys(weights).length,
    totalWeight: totalWeight(weights),
    version: r.version,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    createdBy: r.createdBy,
    updatedBy: r.updatedBy,
  };
}

export function weightTableView(r: WeightTableRecord): WeightTableView {
  return { ...weightTableSummary(r), weights: r.definition.weights };
}

/** An API key without its hash: safe to list and log. */
export type ApiKeyView = Omit<ApiKeyRecord, 'hash'> & { readonly status: 'active' | 'revoked' | 'expired' };

export function apiKeyView(r: ApiKeyRecord, now: string): ApiKeyView {
  const { hash: _hash, ...rest } = r;
  const status =
    r.revokedAt !== null ? 'revoked' : r.expiresAt !== null && r.expiresAt <= now ? 'expired' : 'active';
  return { ...rest, status };
}
