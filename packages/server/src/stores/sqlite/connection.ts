import type Database from 'better-sqlite3';
import type { SqlExecutor } from '../sql/executor.js';

/**
 * Runs `$1`-style SQL on a better-sqlite3 connection. Placeholders become named
 * parameters (`@p1`), and prepared statements are cached per SQL text.
 */
export class SqliteExecutor implements SqlExecutor {
  private readonly statements = new Map<string, Database.Statement>();
  private readonly positional = new Map<string, Database.Statement>();

  constructor(readonly db: Database.Database) {}

  private prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql.replace(/\$(\d+)/g, '@p$1'));
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async all<T>(sql: string, params: readonly unknown[] = []): Promise<T[]> {
    const statement = this.prepare(sql);
    const bound = bind(params);
    if (statement.reader) return statement.all(bound) as T[];
    statement.run(bound);
    return [];
  }

  async run(sql: string, params: readonly unknown[] = []): Promise<number> {
    return this.prepare(sql).run(bind(params)).changes;
  }

  /**
   * Runs a statement once per row, bound by position: the bulk path (event inserts), several
   * times faster than named parameters. `$1 … $n` must appear in order, each once.
   */
  async runMany(sql: string, rows: readonly (readonly unknown[])[]): Promise<void> {
    let statement = this.positional.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql.replace(/\$\d+/g, '?'));
      this.positional.set(sql, statement);
    }
    for (const row of rows) statement.run(row.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v)));
  }

  /** Runs statements that take no parameters (schema changes), without caching them. */
  exec(sql: string): void {
    this.db.exec(sql);
  }
}

function bind(params: readonly unknown[]): Record<string, unknown> {
  const named: Record<string, unknown> = {};
  params.forEach((value, i) => {
    named[`p${i + 1}`] = typeof value === 'boolean' ? (value ? 1 : 0) : value;
  });
  return named;
}
