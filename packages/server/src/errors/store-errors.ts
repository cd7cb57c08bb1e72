import { VexilError } from './vexil-error.js';

/** The database schema is newer than this build of Vexil knows, or older and not migrated. */
export class SchemaVersionError extends VexilError {
  readonly current: number;
  readonly latest: number;

  constructor(current: number, latest: number, message: string) {
    super(current > latest ? 'SCHEMA_TOO_NEW' : 'MIGRATION_REQUIRED', message);
    this.current = current;
    this.latest = latest;
  }
}

/** The store cannot be reached or failed unexpectedly. */
export class StoreUnavailableError extends VexilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('STORE_UNAVAILABLE', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** Two transactions collided (deadlock, serialization failure); the whole change may be retried. */
export class TransientStoreError extends VexilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONCURRENT_MODIFICATION', message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}
