export * from './event-types.js';
export { isPostgresUrl, type OpenStoreOptions, openStore } from './open-store.js';
export {
  CHANGES_CHANNEL,
  createPostgresStore,
  type PostgresStoreOptions,
} from './postgres/postgres-store.js';
export { createSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.js';
export type { MigrationStatus, Store, StoreReader, StoreWriter } from './store.js';
export * from './types.js';
