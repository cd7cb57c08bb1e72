import type { SqlDialect, SqlExecutor } from '../sql/executor.js';

export const sqliteDialect: SqlDialect = {
  name: 'sqlite',
  json: (value) => JSON.stringify(value),
  parseJson: (raw) => (typeof raw === 'string' ? JSON.parse(raw) : raw),
  bool: (value) => (value ? 1 : 0),
  ilike: 'LIKE',
  arrayContains: (column, param) =>
    `EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value = ${param})`,
  forUpdate: '',
  async nextCommitVersion(db: SqlExecutor): Promise<number> {
    const [row] = await db.all<{ value: unknown }>(
      `UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'commit_version' RETURNING value`,
    );
    return Number(row?.value);
  },
};

/** Primary-key or unique constraint failures. */
export function isSqliteUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
}
