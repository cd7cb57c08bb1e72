import Database from 'better-sqlite3';
import { StoreUnavailableError } from '../../errors/index.js';
import type {
  AppendOutcome,
  EventBatchRecord,
  ExperimentData,
  ExperimentDataQuery,
  ExposureCount,
  ExposureCountQuery,
  TrackCount,
  TrackCountQuery,
} from '../event-types.js';
import { Mutex } from '../mutex.js';
import {
  applyMigrations,
  assertCurrent,
  currentVersion,
  latestVersion,
  MIGRATIONS_TABLE,
  refuseNewer,
} from '../sql/migrator.js';
import { SqlEvents } from '../sql/sql-events.js';
import { SqlReader } from '../sql/sql-reader.js';
import { SqlWriter } from '../sql/sql-writer.js';
import type { MigrationStatus, Store, StoreWriter } from '../store.js';
import type { EnvironmentChanges, EnvironmentState } from '../types.js';
import { SqliteExecutor } from './connection.js';
import { isSqliteUniqueViolation, sqliteDialect } from './dialect.js';
import { SQLITE_MIGRATIONS } from './migrations.js';

export interface SqliteStoreOptions {
  /** Database file; `:memory:` for a throw-away database. */
  readonly path: string;
}

/**
 * A store in one SQLite file, in WAL mode: one writer connection (transactions run one at
 * a time) and one reader connection, so reads never see a transaction half done.
 * @example
 * const store = createSqliteStore({ path: './vexil.db' });
 * await store.migrate();
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  return new SqliteStore(options.path);
}

class SqliteStore extends SqlReader implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly writer: SqliteExecutor;
  private readonly reader: SqliteExecutor;
  /**
   * Consistent multi-statement reads get a connection of their own: a read transaction on
   * the shared reader would hold its snapshot across awaits, and a read made in between
   * (a key just created) would not see the latest commit.
   */
  private readonly snapshotReader: SqliteExecutor;
  private readonly snapshotOps: SqlReader;
  private readonly writerOps: SqlWriter;
  private readonly writes = new Mutex();
  private readonly snapshots = new Mutex();
  private readonly events = new SqlEvents('sqlite');
  private closed = false;

  constructor(path: string) {
    const writerDb = open(path, false);
    const memory = path === ':memory:' || path === '';
    const readerDb = memory ? writerDb : open(path, true);
    const writer = new SqliteExecutor(writerDb);
    const reader = memory ? writer : new SqliteExecutor(readerDb);
    super(reader, sqliteDialect);
    this.writer = writer;
    this.reader = reader;
    this.snapshotReader = memory ? writer : new SqliteExecutor(open(path, true));
    this.snapshotOps = new SqlReader(this.snapshotReader, sqliteDialect);
    this.writerOps = new SqlWriter(writer, sqliteDialect, isSqliteUniqueViolation);
  }

  transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T> {
    return this.writes.run(async () => {
      this.assertOpen();
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.writerOps);
        this.writer.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.writer.db.inTransaction) this.writer.exec('ROLLBACK');
        throw error;
      }
    });
  }

  readEnvironmentState(project: string, environment: string): Promise<EnvironmentState | undefined> {
    return this.inSnapshot(async () => {
      const db = this.snapshotOps;
      const env = await db.getEnvironment(project, environment);
      if (env === undefined) return undefined;
      const all = { limit: Number.MAX_SAFE_INTEGER, offset: 0 };
      const flags = await db.listFlags(project, { ...all, archived: false });
      const segments = await db.listSegments(project, all);
      const weightTables = await db.listWeightTables(project, all);
      return {
        environment: env,
        flags: flags.items,
        segments: segments.items,
        weightTables: weightTables.items,
      };
    });
  }

  readEnvironmentChanges(
    project: string,
    environment: string,
    afterVersion: number,
    limit: number,
  ): Promise<EnvironmentChanges | undefined> {
    return this.inSnapshot(() =>
      this.snapshotOps.readChangesAfter(project, environment, afterVersion, limit),
    );
  }

  /** Runs reads in one read transaction on the snapshot connection: one consistent snapshot. */
  private inSnapshot<T>(fn: () => Promise<T>): Promise<T> {
    return this.snapshots.run(async () => {
      this.assertOpen();
      const inOwnTransaction = this.snapshotReader !== this.writer;
      if (inOwnTransaction) this.snapshotReader.exec('BEGIN');
      try {
        return await fn();
      } finally {
        if (inOwnTransaction) this.snapshotReader.exec('COMMIT');
      }
    });
  }

  appendEventBatches(batches: readonly EventBatchRecord[]): Promise<AppendOutcome[]> {
    return this.transaction(() => this.events.append(this.writer, batches));
  }

  countExposures(query: ExposureCountQuery): Promise<ExposureCount[]> {
    this.assertOpen();
    return this.events.countExposures(this.reader, query);
  }

  countTrackedEvents(query: TrackCountQuery): Promise<TrackCount[]> {
    this.assertOpen();
    return this.events.countTrackedEvents(this.reader, query);
  }

  readExperimentData(query: ExperimentDataQuery): Promise<ExperimentData> {
    return this.inSnapshot(() => this.events.readExperimentData(this.snapshotReader, query));
  }

  touchApiKey(id: string, at: string): Promise<void> {
    return this.writes.run(async () => {
      this.assertOpen();
      await this.writer.run('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [id, at]);
    });
  }

  async ping(): Promise<void> {
    this.assertOpen();
    await this.reader.all('SELECT 1');
  }

  async migrationStatus(): Promise<MigrationStatus> {
    this.assertOpen();
    return { current: await currentVersion(this.writer, this.hasMigrationsTable()), latest: this.latest };
  }

  migrate(): Promise<MigrationStatus & { applied: number[] }> {
    return this.writes.run(async () => {
      this.assertOpen();
      this.writer.exec('BEGIN IMMEDIATE');
      try {
        if (!this.hasMigrationsTable()) {
          this.writer.exec(
            `CREATE TABLE ${MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
          );
        }
        const current = await currentVersion(this.writer, true);
        refuseNewer({ current, latest: this.latest });
        const applied = await applyMigrations(
          this.writer,
          SQLITE_MIGRATIONS,
          current,
          new Date().toISOString(),
        );
        this.writer.exec('COMMIT');
        return { current: this.latest, latest: this.latest, applied };
      } catch (error) {
        if (this.writer.db.inTransaction) this.writer.exec('ROLLBACK');
        throw error;
      }
    });
  }

  async assertSchemaCurrent(): Promise<void> {
    assertCurrent(await this.migrationStatus());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Let a running transaction finish before the connections go.
    await this.writes.run(async () => {
      this.closed = true;
      if (this.reader !== this.writer) this.reader.db.close();
      if (this.snapshotReader !== this.writer) this.snapshotReader.db.close();
      this.writer.db.close();
    });
  }

  private get latest(): number {
    return latestVersion(SQLITE_MIGRATIONS);
  }

  private hasMigrationsTable(): boolean {
    const row = this.writer.db
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`)
      .get(MIGRATIONS_TABLE);
    return row !== undefined;
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the SQLite store is closed');
  }
}

function open(path: string, readonly: boolean): Database.Database {
  try {
    const db = new Database(path, { fileMustExist: readonly });
    db.pragma('busy_timeout = 5000');
    if (!readonly) {
      db.pragma('journal_mode = WAL');
      // FULL: a commit is on disk before it is acknowledged, even if the machine loses power.
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
    }
    return db;
  } catch (error) {
    throw new StoreUnavailableError(
      `cannot open SQLite database ${JSON.stringify(path)}: ${(error as Error).message}`,
      {
        cause: error,
      },
    );
  }
}
