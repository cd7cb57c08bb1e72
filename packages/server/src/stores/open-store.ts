import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** A SQLite file path (default `./vexil.db`), `:memory:`, or a `postgres://` / `postgresql://` URL. */
  readonly db?: string | undefined;
  /** Apply pending migrations (default: true for SQLite, false for PostgreSQL). */
  readonly migrate?: boolean | undefined;
}

/** Whether a `--db` value selects PostgreSQL. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/**
 * Opens the store a `--db` value names, migrates it when asked to, and checks that its
 * schema is the one this build knows (refusing a newer one).
 * @example
 * const store = await openStore({ db: 'postgres://postgres@127.0.0.1/vexil', migrate: true });
 */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  const db = options.db ?? './vexil.db';
  const postgres = isPostgresUrl(db);
  // The PostgreSQL driver is loaded only for a PostgreSQL URL: a SQLite server never needs it.
  const store = postgres
    ? (await import('./postgres/postgres-store.js')).createPostgresStore(postgresOptions(db))
    : createSqliteStore({ path: db });
  try {
    if (options.migrate ?? !postgres) await store.migrate();
    await store.assertSchemaCurrent();
    return store;
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** `?schema=name` in the URL chooses the schema; the rest goes to the driver as is. */
export function postgresOptions(db: string): { connectionString: string; schema?: string } {
  const url = new URL(db);
  const schema = url.searchParams.get('schema');
  if (schema === null) return { connectionString: db };
  url.searchParams.delete('schema');
  return { connectionString: url.toString(), schema };
}
