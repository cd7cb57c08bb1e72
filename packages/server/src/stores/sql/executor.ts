/** Runs SQL written with `$1, $2 …` placeholders; each store adapts it to its driver. */
export interface SqlExecutor {
  all<T = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Returns the number of rows changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs one statement once per row of parameters, where the driver has a faster way than `run` in a loop. */
  runMany?(sql: string, rows: readonly (readonly unknown[])[]): Promise<void>;
}

/** What differs between SQLite and PostgreSQL in the shared queries. */
export interface SqlDialect {
  readonly name: 'sqlite' | 'postgres';
  /** A JSON value as a query parameter. */
  json(value: unknown): unknown;
  /** A JSON column as read back. */
  parseJson(raw: unknown): unknown;
  bool(value: boolean): unknown;
  /** Case-insensitive LIKE operator. */
  readonly ilike: string;
  /** SQL that holds when the JSON array in `column` contains the string parameter `param`. */
  arrayContains(column: string, param: string): string;
  /** The next commit version, greater than any handed out before. */
  nextCommitVersion(db: SqlExecutor): Promise<number>;
  /** Locks for update, where the database supports it (`FOR UPDATE` or nothing). */
  readonly forUpdate: string;
}
