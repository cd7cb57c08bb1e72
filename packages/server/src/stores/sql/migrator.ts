import { SchemaVersionError } from '../../errors/index.js';
import type { MigrationStatus } from '../store.js';
import type { SqlExecutor } from './executor.js';

/** One schema step. Versions start at 1 and never change once released. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export const MIGRATIONS_TABLE = 'vexil_migrations';

export function latestVersion(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

/** The schema version recorded in the database (0 when it was never migrated). */
export async function currentVersion(db: SqlExecutor, tableExists: boolean): Promise<number> {
  if (!tableExists) return 0;
  const [row] = await db.all<{ v: unknown }>(`SELECT max(version) AS v FROM ${MIGRATIONS_TABLE}`);
  return row?.v === null || row?.v === undefined ? 0 : Number(row.v);
}

/** Refuses a schema newer than this build: running old code on it could corrupt data. */
export function refuseNewer(status: MigrationStatus): void {
  if (status.current > status.latest) {
    throw new SchemaVersionError(
      status.current,
      status.latest,
      `the database schema is at version ${status.current}, newer than this Vexil understands (${status.latest}). ` +
        'Upgrade Vexil, or point it at another database.',
    );
  }
}

/** Throws unless the schema is exactly at the latest version. */
export function assertCurrent(status: MigrationStatus): void {
  refuseNewer(status);
  if (status.current < status.latest) {
    throw new SchemaVersionError(
      status.current,
      status.latest,
      `the database schema is at version ${status.current}, this Vexil needs ${status.latest}. ` +
        'Start with --migrate (VEXIL_MIGRATE=true) to apply the migrations.',
    );
  }
}

/** Applies, in order, the migrations above `from`; each with its record, in the caller's transaction. */
export async function applyMigrations(
  db: SqlExecutor,
  migrations: readonly Migration[],
  from: number,
  now: string,
): Promise<number[]> {
  const applied: number[] = [];
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (migration.version <= from) continue;
    for (const statement of migration.statements) await db.run(statement);
    await db.run(`INSERT INTO ${MIGRATIONS_TABLE} (version, name, applied_at) VALUES ($1, $2, $3)`, [
      migration.version,
      migration.name,
      now,
    ]);
    applied.push(migration.version);
  }
  return applied;
}
