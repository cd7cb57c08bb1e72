import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The PostgreSQL the tests use: trust auth, database `test`. */
export const TEST_DATABASE_URL =
  process.env.VEXIL_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * Whether the test PostgreSQL answers. Under `CI=true` a missing PostgreSQL is a failure
 * (this throws); otherwise the caller skips its suite and says why.
 */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`PostgreSQL is required under CI=true but ${TEST_DATABASE_URL} is not reachable`, {
        cause: error,
      });
    }
    console.warn(
      `Skipping PostgreSQL tests: ${TEST_DATABASE_URL} is not reachable (${(error as Error).message}). ` +
        'Start PostgreSQL (see .ci/services.sh) to run them.',
    );
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A fresh schema name, unique to this process and call, so parallel test files never collide. */
export function uniqueSchema(prefix = 'vexil_test'): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function withPostgres<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function dropSchema(schema: string): Promise<void> {
  await withPostgres((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`));
}
