import pg from 'pg';
import { StoreUnavailableError, TransientStoreError } from '../../errors/index.js';
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
import type { SqlExecutor } from '../sql/executor.js';
import {
  applyMigrations,
  assertCurrent,
  currentVersion,
  latestVersion,
  MIGRATIONS_TABLE,
  refuseNewer,
} from '../sql/migrator.js';
import { type Row, toChange, toEnvironment, toFlag, toSegment, toWeightTable } from '../sql/rows.js';
import { SqlEvents } from '../sql/sql-events.js';
import { SqlReader } from '../sql/sql-reader.js';
import { SqlWriter } from '../sql/sql-writer.js';
import type { MigrationStatus, Store, StoreWriter } from '../store.js';
import type {
  ChangeRecord,
  EnvironmentChanges,
  EnvironmentRecord,
  EnvironmentState,
  FlagRecord,
  SegmentRecord,
  WeightTableRecord,
} from '../types.js';
import { PostgresExecutor } from './connection.js';
import { isPostgresUniqueViolation, postgresDialect, sqlState, TRANSIENT_SQLSTATES } from './dialect.js';
import { POSTGRES_MIGRATIONS } from './migrations.js';

/** NOTIFY channel that carries every committed change, for other replicas. */
export const CHANGES_CHANNEL = 'vexil_changes';

export interface PostgresStoreOptions {
  /** `postgres://user@host:5432/database` */
  readonly connectionString: string;
  /** Schema holding Vexil's tables (default `public`); created by `migrate()` when missing. */
  readonly schema?: string | undefined;
  /** Most connections in the pool (default 10). */
  readonly poolSize?: number | undefined;
}

/**
 * A store in PostgreSQL. Several servers may share one database; each committed change
 * is also announced with `NOTIFY vexil_changes` (payload: schema, project, environment,
 * version, previousVersion), sent by PostgreSQL only when the transaction commits.
 * @example
 * const store = createPostgresStore({ connectionString: 'postgres://postgres@127.0.0.1/vexil' });
 */
export function createPostgresStore(options: PostgresStoreOptions): Store {
  return new PostgresStore(options);
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

class PostgresStore extends SqlReader implements Store {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly events = new SqlEvents('postgres');
  private closed = false;

  constructor(options: PostgresStoreOptions) {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema))
      throw new Error(`invalid PostgreSQL schema name ${JSON.stringify(schema)}`);
    const pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.poolSize ?? 10,
      options: `-c search_path=${schema}`,
    });
    // An idle client that loses its connection must not crash the process.
    pool.on('error', () => undefined);
    super(new PostgresExecutor(pool), postgresDialect);
    this.pool = pool;
    this.schema = schema;
  }

  async transaction<T>(fn: (tx: StoreWriter) => Promise<T>): Promise<T> {
    return this.withClient('BEGIN', async (db) => fn(new NotifyingWriter(db, this.schema)));
  }

  readEnvironmentState(project: string, environment: string): Promise<EnvironmentState | undefined> {
    return this.withClient('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', async (db) => {
      const reader = new SqlReader(db, postgresDialect);
      const env = await reader.getEnvironment(project, environment);
      if (env === undefined) return undefined;
      const all = { limit: Number.MAX_SAFE_INTEGER, offset: 0 };
      const flags = await reader.listFlags(project, { ...all, archived: false });
      const segments = await reader.listSegments(project, all);
      const weightTables = await reader.listWeightTables(project, all);
      return {
        environment: env,
        flags: flags.items,
        segments: segments.items,
        weightTables: weightTables.items,
      };
    });
  }

  /** One statement (one round trip, one snapshot): each row is a record as JSON, tagged with its kind. */
  async readEnvironmentChanges(
    project: string,
    environment: string,
    afterVersion: number,
    limit: number,
  ): Promise<EnvironmentChanges | undefined> {
    const rows = await this.db.all<{ kind: string; row: Row }>(CHANGES_AFTER, [
      project,
      environment,
      afterVersion,
      limit,
    ]);
    let env: EnvironmentRecord | undefined;
    const out = {
      changes: [] as ChangeRecord[],
      flags: [] as FlagRecord[],
      segments: [] as SegmentRecord[],
      weightTables: [] as WeightTableRecord[],
    };
    for (const { kind, row } of rows) {
      if (kind === 'e') env = toEnvironment(row);
      else if (kind === 'c') out.changes.push(toChange(postgresDialect, row));
      else if (kind === 'f') out.flags.push(toFlag(postgresDialect, row));
      else if (kind === 's') out.segments.push(toSegment(postgresDialect, row));
      else out.weightTables.push(toWeightTable(postgresDialect, row));
    }
    if (env === undefined) return undefined;
    out.changes.sort((a, b) => a.version - b.version || (a.environment < b.environment ? -1 : 1));
    return { environment: env, ...out };
  }

  appendEventBatches(batches: readonly EventBatchRecord[]): Promise<AppendOutcome[]> {
    return this.withClient('BEGIN', (db) => this.events.append(db, batches));
  }

  countExposures(query: ExposureCountQuery): Promise<ExposureCount[]> {
    return this.events.countExposures(this.db, query);
  }

  countTrackedEvents(query: TrackCountQuery): Promise<TrackCount[]> {
    return this.events.countTrackedEvents(this.db, query);
  }

  readExperimentData(query: ExperimentDataQuery): Promise<ExperimentData> {
    return this.withClient('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', (db) =>
      this.events.readExperimentData(db, query),
    );
  }

  async touchApiKey(id: string, at: string): Promise<void> {
    await this.db.run('UPDATE api_keys SET last_used_at = $2 WHERE id = $1', [id, at]);
  }

  async ping(): Promise<void> {
    await this.db.all('SELECT 1');
  }

  async migrationStatus(): Promise<MigrationStatus> {
    return {
      current: await currentVersion(this.db, await this.hasMigrationsTable(this.db)),
      latest: this.latest,
    };
  }

  migrate(): Promise<MigrationStatus & { applied: number[] }> {
    return this.withClient('BEGIN', async (db) => {
      // One migrator at a time across every server sharing the database.
      await db.all(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`vexil:migrate:${this.schema}`]);
      await db.run(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await db.run(
        `CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE}
           (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`,
      );
      const current = await currentVersion(db, true);
      refuseNewer({ current, latest: this.latest });
      const applied = await applyMigrations(db, POSTGRES_MIGRATIONS, current, new Date().toISOString());
      return { current: this.latest, latest: this.latest, applied };
    });
  }

  async assertSchemaCurrent(): Promise<void> {
    assertCurrent(await this.migrationStatus());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private get latest(): number {
    return latestVersion(POSTGRES_MIGRATIONS);
  }

  private async hasMigrationsTable(db: SqlExecutor): Promise<boolean> {
    const [row] = await db.all<{ t: unknown }>('SELECT to_regclass($1) AS t', [
      `${this.schema}.${MIGRATIONS_TABLE}`,
    ]);
    return row?.t !== null && row?.t !== undefined;
  }

  private async withClient<T>(begin: string, fn: (db: PostgresExecutor) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw new StoreUnavailableError(`cannot reach PostgreSQL: ${(error as Error).message}`, {
        cause: error,
      });
    }
    let broken = false;
    try {
      await client.query(begin);
      const result = await fn(new PostgresExecutor(client));
      await client.query('COMMIT');
      return result;
    } catch (error) {
      try {
        await client.query('ROLLBACK');
      } catch {
        broken = true;
      }
      const state = sqlState(error);
      if (state !== undefined && TRANSIENT_SQLSTATES.has(state)) {
        throw new TransientStoreError(`the change collided with another one: ${(error as Error).message}`, {
          cause: error,
        });
      }
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

/**
 * `readEnvironmentChanges` in one statement: the environment, the project's change log after
 * the version, the flags and segments it names, and the weight tables those flags name.
 */
const CHANGES_AFTER = `
WITH c AS (
  SELECT * FROM changes
  WHERE project = $1 AND environment IN (SELECT key FROM environments WHERE project = $1) AND version > $3
  ORDER BY version LIMIT $4
), f AS (
  SELECT * FROM flags WHERE project = $1 AND key IN (SELECT json_array_elements_text(c.flags) FROM c)
)
SELECT 'e' AS kind, row_to_json(e) AS row FROM environments e WHERE e.project = $1 AND e.key = $2
UNION ALL SELECT 'c', row_to_json(c) FROM c
UNION ALL SELECT 'f', row_to_json(f) FROM f
UNION ALL SELECT 's', row_to_json(s) FROM segments s
  WHERE s.project = $1 AND s.key IN (SELECT json_array_elements_text(c.segments) FROM c)
UNION ALL SELECT 'w', row_to_json(w) FROM weight_tables w
  WHERE w.project = $1
    AND w.key IN (SELECT jsonb_path_query(f.definition::jsonb, 'strict $.**.weightedBy') #>> '{}' FROM f)
`;

/** The shared writer, plus a NOTIFY for each change-log row (delivered on commit). */
class NotifyingWriter extends SqlWriter {
  constructor(
    db: PostgresExecutor,
    private readonly schema: string,
  ) {
    super(db, postgresDialect, isPostgresUniqueViolation);
  }

  /**
   * Two statements whatever the number of environments: lock their rows (in key order, so
   * concurrent commits queue instead of deadlocking), then take the commit version and set
   * it. The version is taken after the locks, so commits to one environment get increasing
   * versions.
   */
  override async bumpEnvironmentVersions(
    project: string,
    environments: readonly string[],
  ): Promise<{ version: number; previous: Map<string, number> }> {
    const keys = [...new Set(environments)].sort();
    const locked = await this.db.all<{ key: string; version: unknown }>(
      'SELECT key, version FROM environments WHERE project = $1 AND key = ANY($2) ORDER BY key FOR UPDATE',
      [project, keys],
    );
    if (locked.length === 0) return super.bumpEnvironmentVersions(project, []);
    const previous = new Map(locked.map((row) => [row.key, Number(row.version)]));
    const [row] = await this.db.all<{ version: unknown }>(
      `WITH next AS (SELECT nextval('vexil_commit_version') AS version)
       UPDATE environments SET version = next.version FROM next
       WHERE project = $1 AND key = ANY($2) RETURNING next.version`,
      [project, [...previous.keys()]],
    );
    return { version: Number(row?.version), previous };
  }

  /** The change-log row and its NOTIFY in one statement (one round trip). */
  override async appendChange(change: ChangeRecord): Promise<void> {
    const payload = JSON.stringify({
      schema: this.schema,
      project: change.project,
      environment: change.environment,
      version: change.version,
      previousVersion: change.previousVersion,
    });
    await this.db.all(
      `WITH row AS (
         INSERT INTO changes (project, environment, version, previous_version, action, flags, segments, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING 1
       )
       SELECT pg_notify($9, $10) FROM row`,
      [
        change.project,
        change.environment,
        change.version,
        change.previousVersion,
        change.action,
        postgresDialect.json(change.flags),
        postgresDialect.json(change.segments),
        change.at,
        CHANGES_CHANNEL,
        payload,
      ],
    );
  }
}
