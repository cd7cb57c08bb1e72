import type { Experiment, Flag, JsonValue, Segment } from '@vexil/core';

/** What the admin API answers; these mirror its OpenAPI document (`/openapi.json`). */

/** `{ items, total, limit, offset }`: every list. */
export interface Page<T> {
  readonly items: T[];
  readonly total: number;
  readonly limit: number;
  readonly offset: number;
}

interface SystemFields {
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly updatedBy: string;
}

export interface Project extends SystemFields {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly metadata: Record<string, JsonValue>;
}

export interface Environment extends SystemFields {
  readonly project: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly position: number;
  readonly version: number;
}

/** A flag as the API shows it: the core format with its key and system fields. */
export type FlagView = Flag &
  SystemFields & {
    readonly key: string;
    readonly project: string;
    readonly version: number;
    readonly archived: boolean;
  };

/** One entry of a flag's history. */
export interface FlagVersion {
  readonly key: string;
  readonly project: string;
  readonly version: number;
  readonly action: string;
  readonly actor: string;
  readonly at: string;
  readonly flag: Flag;
}

export type SegmentView = Segment &
  SystemFields & { readonly key: string; readonly project: string; readonly version: number };

/** A weight table without its subjects (`GET …/subject-weights`). */
export interface WeightTableSummary extends SystemFields {
  readonly key: string;
  readonly project: string;
  readonly description?: string;
  /** How many subjects it lists. */
  readonly subjects: number;
  /** The sum of their weights. */
  readonly totalWeight: number;
  readonly version: number;
}

/** A weight table with its subjects: bucket-by value → weight (a whole number ≥ 1). */
export interface WeightTableView extends WeightTableSummary {
  readonly weights: Readonly<Record<string, number>>;
}

export type ApiKeyKind = 'admin' | 'server' | 'client';

export interface ApiKey {
  readonly id: string;
  readonly kind: ApiKeyKind;
  readonly project: string | null;
  readonly environment: string | null;
  readonly name: string;
  readonly hint: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  readonly expiresAt: string | null;
  readonly replacedBy: string | null;
  readonly status: 'active' | 'revoked' | 'expired';
}

/** `GET /keys/self`: the key in use, and how the audit log names its requests. */
export type SelfKey = ApiKey & { readonly actor: string };

/** A new key, or a rotated one: the secret is shown this once. */
export interface CreatedKey {
  readonly key: ApiKey;
  readonly secret: string;
  readonly previous?: ApiKey;
}

export interface AuditEntry {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly resourceType: string;
  readonly project: string | null;
  readonly environment: string | null;
  readonly resourceKey: string;
  readonly version: number | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly comment: string | null;
}

export type ExperimentStatus = 'scheduled' | 'running' | 'ended';

export interface ExperimentInfo {
  readonly project: string;
  readonly environment: string;
  readonly flag: string;
  readonly experiment: Experiment;
  readonly status: ExperimentStatus | string;
}

/** An issue the API reports: the field's path and what is wrong with it. */
export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** A 95 % interval `[low, high]`. */
export type Interval = [number, number];

/** `GET …/experiment/results`: per variant and metric, with intervals and the SRM check. */
export interface ExperimentResults {
  readonly project: string;
  readonly environment: string;
  readonly flag: string;
  readonly experiment: string;
  readonly status: ExperimentStatus;
  readonly from: string | null;
  readonly to: string | null;
  readonly control: string;
  readonly variants: { variant: string; weight: number; subjects: number }[];
  readonly mixedSubjects: number;
  readonly sampleRatio: {
    chiSquare: number;
    degreesOfFreedom: number;
    pValue: number;
    expected: Record<string, number>;
    unexpected: string[];
    mismatch: boolean;
  } | null;
  readonly metrics: MetricResult[];
}

export interface MetricResult {
  readonly event: string;
  readonly kind: 'conversion' | 'sum' | 'mean';
  readonly higherIsBetter: boolean;
  readonly variants: MetricVariantResult[];
}

export interface MetricVariantResult {
  readonly variant: string;
  readonly subjects: number;
  readonly conversions: number;
  readonly total: number;
  readonly value: number | null;
  readonly sampleSize: number;
  readonly interval: Interval | null;
  readonly vsControl: {
    difference: number;
    interval: Interval;
    relative: number | null;
    pValue: number;
    significant: boolean;
    better: boolean | null;
  } | null;
}

/** `GET /projects/{project}/events/exposures`: per flag, variant and UTC day. */
export interface ExposureCount {
  readonly environment: string;
  readonly flag: string;
  readonly variant: string;
  readonly day: string;
  readonly exposures: number;
  readonly subjects: number;
}
