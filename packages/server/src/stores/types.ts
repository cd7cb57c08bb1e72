import type { Flag, JsonValue, Segment, WeightTable } from '@vexil/core';

/** A flag as the store keeps it: the core format without the fields the server owns. */
export type FlagDefinition = Omit<Flag, 'version' | 'createdAt' | 'updatedAt' | 'archived'>;

/** Free-form key → JSON data (Flipper's client data). */
export type Metadata = Record<string, JsonValue>;

/** Who made a change and when: kept on every project, environment, flag and segment. */
export interface SystemFields {
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly updatedBy: string;
}

export interface ProjectRecord extends SystemFields {
  readonly key: string;
  readonly name: string;
  readonly description: string;
  readonly metadata: Metadata;
}

export interface EnvironmentRecord extends SystemFields {
  readonly project: string;
  readonly key: string;
  readonly name: string;
  readonly description: string;
  /** Sort order in lists. */
  readonly position: number;
  /** Version of the environment's flag set: the commit version of its last change. */
  readonly version: number;
}

export interface FlagRecord extends SystemFields {
  readonly project: string;
  readonly key: string;
  /** Starts at 1, +1 on every change; writes may require the version they read. */
  readonly version: number;
  readonly archived: boolean;
  readonly definition: FlagDefinition;
}

/** One entry of a flag's history: the whole flag as it was at that version. */
export interface FlagVersionRecord {
  readonly project: string;
  readonly key: string;
  readonly version: number;
  readonly archived: boolean;
  readonly definition: FlagDefinition;
  readonly action: string;
  readonly actor: string;
  readonly at: string;
}

export interface SegmentRecord extends SystemFields {
  readonly project: string;
  readonly key: string;
  readonly version: number;
  readonly definition: Segment;
}

/** A table of subject weights (bucket-by value → weight) for weighted rollouts and experiments. */
export interface WeightTableRecord extends SystemFields {
  readonly project: string;
  readonly key: string;
  readonly version: number;
  readonly definition: WeightTable;
}

export const API_KEY_KINDS = ['admin', 'server', 'client'] as const;
export type ApiKeyKind = (typeof API_KEY_KINDS)[number];

export interface ApiKeyRecord {
  /** Public identifier (`key_…`); the secret itself is never stored. */
  readonly id: string;
  readonly kind: ApiKeyKind;
  /** Project and environment of a `server` or `client` key; null for `admin`. */
  readonly project: string | null;
  readonly environment: string | null;
  readonly name: string;
  /** sha256 of the secret, hex. */
  readonly hash: string;
  /** The secret's first characters, to recognise it (`vx_server_3fK…`). */
  readonly hint: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
  /** After this instant the key stops working (set on rotation: the grace period's end). */
  readonly expiresAt: string | null;
  /** The key that replaced this one by rotation. */
  readonly replacedBy: string | null;
}

export const RESOURCE_TYPES = ['project', 'environment', 'flag', 'segment', 'weightTable', 'apiKey'] as const;
export type ResourceType = (typeof RESOURCE_TYPES)[number];

export interface NewAuditEntry {
  readonly at: string;
  readonly actor: string;
  /** What happened: `flag.create`, `flag.enable`, `segment.update`, `apiKey.revoke`, … */
  readonly action: string;
  readonly resourceType: ResourceType;
  readonly project: string | null;
  readonly environment: string | null;
  readonly resourceKey: string;
  /** The resource's version after the change, when it has one. */
  readonly version: number | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly comment: string | null;
}

export interface AuditEntry extends NewAuditEntry {
  readonly id: number;
}

/** One row of an environment's change log: what one commit changed in that environment. */
export interface ChangeRecord {
  readonly project: string;
  readonly environment: string;
  readonly version: number;
  readonly previousVersion: number;
  readonly action: string;
  readonly flags: readonly string[];
  readonly segments: readonly string[];
  readonly at: string;
}

/** Limit and offset of a list; `limit` is capped by the caller. */
export interface Page {
  readonly limit: number;
  readonly offset: number;
}

export interface ListResult<T> {
  readonly items: T[];
  /** How many match, ignoring limit and offset. */
  readonly total: number;
}

export interface ProjectQuery extends Page {
  readonly text?: string | undefined;
}

export interface FlagQuery extends Page {
  readonly tag?: string | undefined;
  /** Case-insensitive substring of the key, name or description. */
  readonly text?: string | undefined;
  /** true: only archived; false: only live; undefined: both. */
  readonly archived?: boolean | undefined;
}

export interface SegmentQuery extends Page {
  readonly text?: string | undefined;
}

export interface WeightTableQuery extends Page {
  /** Case-insensitive part of the key or description. */
  readonly text?: string | undefined;
}

export interface ApiKeyQuery extends Page {
  readonly kind?: ApiKeyKind | undefined;
  readonly project?: string | undefined;
  readonly environment?: string | undefined;
  /** Include revoked and expired keys (default false). */
  readonly includeInactive?: boolean | undefined;
  /** The time "expired" is judged against. */
  readonly now: string;
}

export interface AuditQuery extends Page {
  readonly project?: string | undefined;
  readonly environment?: string | undefined;
  readonly resourceType?: ResourceType | undefined;
  readonly resourceKey?: string | undefined;
  readonly action?: string | undefined;
}

/** An environment with everything needed to build its flag set, read in one consistent snapshot. */
export interface EnvironmentState {
  readonly environment: EnvironmentRecord;
  readonly flags: FlagRecord[];
  readonly segments: SegmentRecord[];
  readonly weightTables: WeightTableRecord[];
}

/**
 * What changed in an environment after a version, read in one consistent snapshot: enough
 * to bring a flag set built at that version up to date without reading every flag again.
 */
export interface EnvironmentChanges {
  readonly environment: EnvironmentRecord;
  /**
   * The change log of every environment of the project after the version, oldest first:
   * this environment's rows chain from the version to its current one unless some are
   * missing (then a full read is needed).
   */
  readonly changes: ChangeRecord[];
  /** The current records of the flags those rows name; a name without a record was deleted. */
  readonly flags: FlagRecord[];
  /** The current records of the segments those rows name. */
  readonly segments: SegmentRecord[];
  /** The weight tables the flags read name in `weightedBy` (maybe a few more). */
  readonly weightTables: WeightTableRecord[];
}
