/** A context was served a variant (an SDK's exposure event), as stored. */
export interface ExposureRecord {
  readonly kind: 'exposure';
  /** ISO 8601, UTC (`2026-11-25T10:00:00.000Z`). */
  readonly time: string;
  readonly flag: string;
  readonly variant: string;
  readonly contextKey: string | null;
  readonly reason: string | null;
  readonly ruleId: string | null;
  readonly experiment: string | null;
}

/** A tracked event (a conversion, a purchase …), as stored. */
export interface TrackRecord {
  readonly kind: 'track';
  readonly time: string;
  readonly name: string;
  readonly value: number | null;
  readonly contextKey: string | null;
}

export type EventRecord = ExposureRecord | TrackRecord;

/** One `POST /api/v1/events` body, with where it came from. Stored once per (project, environment, batchId). */
export interface EventBatchRecord {
  readonly project: string;
  readonly environment: string;
  readonly batchId: string;
  readonly sdk: string | null;
  readonly receivedAt: string;
  readonly events: readonly EventRecord[];
}

/** What appending a batch did: stored it, or found it already stored (a retry). */
export interface AppendOutcome {
  readonly batchId: string;
  readonly duplicate: boolean;
}

/** Filters of the event counts; `from` is inclusive, `to` exclusive (ISO instants). */
export interface EventCountQuery {
  readonly project: string;
  readonly environment?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface ExposureCountQuery extends EventCountQuery {
  readonly flag?: string | undefined;
}

export interface TrackCountQuery extends EventCountQuery {
  readonly name?: string | undefined;
}

/** Exposures of one variant on one UTC day. */
export interface ExposureCount {
  readonly environment: string;
  readonly flag: string;
  readonly variant: string;
  /** `YYYY-MM-DD`, UTC. */
  readonly day: string;
  readonly exposures: number;
  /** Distinct context keys exposed that day (events without a key are not counted here). */
  readonly subjects: number;
}

/** Tracked events of one name on one UTC day. */
export interface TrackCount {
  readonly environment: string;
  readonly name: string;
  readonly day: string;
  readonly count: number;
  /** Sum of the events' values (events without a value add nothing). */
  readonly sum: number;
  readonly subjects: number;
}

/** Which exposures and events an experiment's analysis reads. */
export interface ExperimentDataQuery {
  readonly project: string;
  readonly environment: string;
  readonly flag: string;
  readonly experiment: string;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  /** Event names of the experiment's metrics. */
  readonly metrics: readonly string[];
}

/**
 * Per-variant sums over the experiment's subjects: a subject is a context key exposed to
 * exactly one variant of the experiment; its events count from its first exposure on.
 */
export interface MetricAggregate {
  readonly variant: string;
  readonly subjects: number;
  /** Subjects with at least one such event. */
  readonly converted: number;
  /** Σ of each subject's total value, and Σ of its square (subjects without events add 0). */
  readonly total: number;
  readonly totalSq: number;
  /** Subjects with at least one valued event; Σ of each one's mean value, and Σ of its square. */
  readonly valued: number;
  readonly meanSum: number;
  readonly meanSumSq: number;
}

export interface ExperimentData {
  /** Subjects per variant. */
  readonly variants: readonly { variant: string; subjects: number }[];
  /** Context keys exposed to more than one variant: left out of the analysis. */
  readonly mixedSubjects: number;
  readonly metrics: readonly { event: string; rows: readonly MetricAggregate[] }[];
}

/** Event storage, implemented by both stores. */
export interface EventStore {
  /**
   * Appends batches in one transaction (one commit, one fsync for all of them); a batch
   * whose id the environment already has is skipped and reported as a duplicate.
   */
  appendEventBatches(batches: readonly EventBatchRecord[]): Promise<AppendOutcome[]>;
  countExposures(query: ExposureCountQuery): Promise<ExposureCount[]>;
  countTrackedEvents(query: TrackCountQuery): Promise<TrackCount[]>;
  readExperimentData(query: ExperimentDataQuery): Promise<ExperimentData>;
}
