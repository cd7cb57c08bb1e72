import { join } from 'node:path';
import { createVexil, type Vexil } from '../../src/services/index.js';
import { createPostgresStore, createSqliteStore, type Store } from '../../src/stores/index.js';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from './postgres.js';
import { tempDir } from './temp-dir.js';

/** A clock tests move by hand. */
export class TestClock {
  constructor(private ms = Date.parse('2026-11-25T10:00:00.000Z')) {}
  now = (): Date => new Date(this.ms);
  advance(ms: number): void {
    this.ms += ms;
  }
  iso(): string {
    return new Date(this.ms).toISOString();
  }
}

export interface TestVexil {
  readonly vexil: Vexil;
  readonly store: Store;
  readonly clock: TestClock;
  dispose(): Promise<void>;
}

export type StoreKind = 'sqlite' | 'postgres';

/** The stores to run a suite on: SQLite always, PostgreSQL when reachable (required under CI). */
export async function storeKinds(): Promise<StoreKind[]> {
  return (await postgresAvailable()) ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A migrated store of `kind` in a fresh file or schema, and a disposer. */
export async function newTestStore(
  kind: StoreKind = 'sqlite',
): Promise<{ store: Store; dispose(): Promise<void> }> {
  if (kind === 'postgres') {
    const schema = uniqueSchema();
    const store = createPostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolSize: 4 });
    await store.migrate();
    return {
      store,
      async dispose() {
        await store.close();
        await dropSchema(schema);
      },
    };
  }
  const dir = tempDir('vexil-test-');
  const store = createSqliteStore({ path: join(dir.path, 'vexil.db') });
  await store.migrate();
  return {
    store,
    async dispose() {
      await store.close();
      dir.remove();
    },
  };
}

/** Services on a fresh store with project `shop` (environments development, staging, production). */
export async function newTestVexil(
  kind: StoreKind = 'sqlite',
  options: { project?: boolean } = {},
): Promise<TestVexil> {
  const { store, dispose } = await newTestStore(kind);
  const clock = new TestClock();
  const vexil = createVexil({ store, clock: clock.now });
  if (options.project !== false) {
    await vexil.projects.create('shop', { environments: ['development', 'staging', 'production'] });
  }
  return { vexil, store, clock, dispose };
}
