import { afterEach, beforeEach, describe } from 'vitest';
import type { Store } from '../../src/stores/index.js';
import { eventTests } from './suite-events.js';
import { flagTests } from './suite-flags.js';
import { keyAuditChangeTests } from './suite-keys-audit-changes.js';
import { schemaProjectTests } from './suite-schema-projects.js';
import { weightTableTests } from './suite-weight-tables.js';

/** A store under test, with a way to run raw SQL on its database (to fake a newer schema). */
export interface TestStore {
  readonly store: Store;
  execRaw(sql: string): Promise<void>;
  /** A second store on the same database (another server replica). */
  reopen(): Promise<Store>;
  dispose(): Promise<void>;
}

export interface StoreSuiteOptions {
  /** A fresh, empty, unmigrated store for each test. */
  newStore(): Promise<TestStore>;
}

/** Everything a store must do, run against each implementation. */
export function runStoreSuite(options: StoreSuiteOptions): void {
  const ctx = {} as { current: TestStore };
  beforeEach(async () => {
    ctx.current = await options.newStore();
  });
  afterEach(async () => {
    await ctx.current.dispose();
  });
  const get = () => ctx.current;
  describe('schema and projects', () => schemaProjectTests(get));
  describe('flags and segments', () => flagTests(get));
  describe('weight tables', () => weightTableTests(get));
  describe('keys, audit and changes', () => keyAuditChangeTests(get));
  describe('events', () => eventTests(get));
}
