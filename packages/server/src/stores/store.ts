import type { EventStore } from './event-types.js';
import type {
  ApiKeyQuery,
  ApiKeyRecord,
  AuditEntry,
  AuditQuery,
  ChangeRecord,
  EnvironmentChanges,
  EnvironmentRecord,
  EnvironmentState,
  FlagQuery,
  FlagRecord,
  FlagVersionRecord,
  ListResult,
  NewAuditEntry,
  Page,
  ProjectQuery,
  ProjectRecord,
  SegmentQuery,
  SegmentRecord,
  WeightTableQuery,
  WeightTableRecord,
} from './types.js';

/** Reads, available both on the store and inside a transaction. */
export interface StoreReader {
  getProject(key: string): Promise<ProjectRecord | undefined>;
  listProjects(query: ProjectQuery): Promise<ListResult<ProjectRecord>>;

  getEnvironment(project: string, key: string): Promise<EnvironmentRecord | undefined>;
  /** Every environment of the project, by position then key. */
  listEnvironments(project: string): Promise<EnvironmentRecord[]>;

  getFlag(project: string, key: string): Promise<FlagRecord | undefined>;
  /** Flags by key; filters combine with AND. */
  listFlags(project: string, query: FlagQuery): Promise<ListResult<FlagRecord>>;
  getFlagVersion(project: string, key: string, version: number): Promise<FlagVersionRecord | undefined>;
  /** A flag's history, newest first. */
  listFlagVersions(project: string, key: string, page: Page): Promise<ListResult<FlagVersionRecord>>;

  getSegment(project: string, key: string): Promise<SegmentRecord | undefined>;
  listSegments(project: string, query: SegmentQuery): Promise<ListResult<SegmentRecord>>;

  getWeightTable(project: string, key: string): Promise<WeightTableRecord | undefined>;
  /** Weight tables by key. */
  listWeightTables(project: string, query: WeightTableQuery): Promise<ListResult<WeightTableRecord>>;

  getApiKey(id: string): Promise<ApiKeyRecord | undefined>;
  getApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined>;
  listApiKeys(query: ApiKeyQuery): Promise<ListResult<ApiKeyRecord>>;

  /** Audit entries, newest first. */
  listAudit(query: AuditQuery): Promise<ListResult<AuditEntry>>;
  /** The environment's change log after `afterVersion`, oldest first. */
  listChanges(
    project: string,
    environment: string,
    afterVersion: number,
    limit: number,
  ): Promise<ChangeRecord[]>;

  getMeta(key: string): Promise<unknown>;
}

/** Writes; only inside `Store.transaction`. */
export interface StoreWriter extends StoreReader {
  insertProject(record: ProjectRecord): Promise<void>;
  updateProject(record: ProjectRecord): Promise<void>;
  /** Removes the project with its environments, flags, flag history, segments, weight tables and change log. */
  deleteProject(key: string): Promise<void>;

  insertEnvironment(record: EnvironmentRecord): Promise<void>;
  /** Updates name, description, position and the system fields (not the version). */
  updateEnvironment(record: EnvironmentRecord): Promise<void>;
  /** Removes the environment and its change log. */
  deleteEnvironment(project: string, key: string): Promise<void>;
  /**
   * Takes the next commit version (greater than every version handed out before, in any
   * environment, even deleted ones) and gives it to the listed environments. Locks their
   * rows in key order, so concurrent commits to one environment get increasing versions.
   * Returns the new version and each environment's previous one.
   */
  bumpEnvironmentVersions(
    project: string,
    environments: readonly string[],
  ): Promise<{ version: number; previous: Map<string, number> }>;

  insertFlag(record: FlagRecord): Promise<void>;
  /** Writes `record` if the stored version is still `expectedVersion`; false otherwise. */
  updateFlag(record: FlagRecord, expectedVersion: number): Promise<boolean>;
  /** Removes the flag and its history. */
  deleteFlag(project: string, key: string): Promise<void>;
  insertFlagVersion(record: FlagVersionRecord): Promise<void>;

  insertSegment(record: SegmentRecord): Promise<void>;
  updateSegment(record: SegmentRecord, expectedVersion: number): Promise<boolean>;
  deleteSegment(project: string, key: string): Promise<void>;

  insertWeightTable(record: WeightTableRecord): Promise<void>;
  /** Writes `record` if the stored version is still `expectedVersion`; false otherwise. */
  updateWeightTable(record: WeightTableRecord, expectedVersion: number): Promise<boolean>;
  deleteWeightTable(project: string, key: string): Promise<void>;

  insertApiKey(record: ApiKeyRecord): Promise<void>;
  updateApiKey(record: ApiKeyRecord): Promise<void>;

  appendAudit(entry: NewAuditEntry): Promise<number>;
  appendChange(change: ChangeRecord): Promise<void>;

  setMeta(key: string, value: unknown): Promise<void>;
}

/** Where a schema stands against the migrations this build knows. */
export interface MigrationStatus {
  readonly current: number;
  readonly latest: number;
}

/**
 * Persistence for Vexil. Implementations: SQLite (`createSqliteStore`) and PostgreSQL
 * (`createPostgresStore`); both pass the same suite.
 */
export interface Store extends StoreReader, EventStore {
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * Runs `fn` in one transaction: everything it writes is committed together, or nothing
   * is when it throws. Transactions that collide may be retried by the caller when they
   * fail with `TransientStoreError`.
   */
  transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T>;
  /** An environment with its flags, segments and weight tables, read in one consistent snapshot. */
  readEnvironmentState(project: string, environment: string): Promise<EnvironmentState | undefined>;
  /**
   * What changed in the environment after `afterVersion` (at most `limit` change-log rows),
   * read in one consistent snapshot; undefined when the environment doesn't exist.
   */
  readEnvironmentChanges(
    project: string,
    environment: string,
    afterVersion: number,
    limit: number,
  ): Promise<EnvironmentChanges | undefined>;
  /** Records a key's last use, outside any transaction (best effort, not audited). */
  touchApiKey(id: string, at: string): Promise<void>;
  /** Resolves when the store answers a trivial query. */
  ping(): Promise<void>;
  migrationStatus(): Promise<MigrationStatus>;
  /** Applies pending migrations; refuses a schema newer than this build. */
  migrate(): Promise<MigrationStatus & { applied: number[] }>;
  /** Throws `SchemaVersionError` unless the schema is exactly the one this build knows. */
  assertSchemaCurrent(): Promise<void>;
  close(): Promise<void>;
}
