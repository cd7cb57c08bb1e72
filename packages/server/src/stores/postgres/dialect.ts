import type { SqlDialect, SqlExecutor } from '../sql/executor.js';

export const postgresDialect: SqlDialect = {
  name: 'postgres',
  json: (value) => JSON.stringify(value),
  parseJson: (raw) => (typeof raw === 'string' ? JSON.parse(raw) : raw),
  bool: (value) => value,
  ilike: 'ILIKE',
  arrayContains: (column, param) => `${column} @> jsonb_build_array(${param}::text)`,
  forUpdate: 'FOR UPDATE',
  async nextCommitVersion(db: SqlExecutor): Promise<number> {
    const [row] = await db.all<{ v: unknown }>(`SELECT nextval('vexil_commit_version') AS v`);
    return Number(row?.v);
  },
};

const SQLSTATE_UNIQUE_VIOLATION = '23505';
/** Serialization failure and deadlock: the transaction may simply be run again. */
export const TRANSIENT_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

export function isPostgresUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown })?.code === SQLSTATE_UNIQUE_VIOLATION;
}

export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}
