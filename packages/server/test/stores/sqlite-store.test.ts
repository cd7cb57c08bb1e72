import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe } from 'vitest';
import { createSqliteStore } from '../../src/stores/index.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runStoreSuite } from './store-suite.js';

describe('SQLite store', () => {
  runStoreSuite({
    async newStore() {
      const dir = tempDir('vexil-sqlite-');
      const path = join(dir.path, 'vexil.db');
      const store = createSqliteStore({ path });
      return {
        store,
        async execRaw(sql) {
          const db = new Database(path);
          try {
            db.exec(sql);
          } finally {
            db.close();
          }
        },
        async reopen() {
          return createSqliteStore({ path });
        },
        async dispose() {
          await store.close();
          dir.remove();
        },
      };
    },
  });
});
