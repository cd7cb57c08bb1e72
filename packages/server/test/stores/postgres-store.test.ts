import { describe } from 'vitest';
import { createPostgresStore } from '../../src/stores/index.js';
import {
  dropSchema,
  postgresAvailable,
  TEST_DATABASE_URL,
  uniqueSchema,
  withPostgres,
} from '../helpers/postgres.js';
import { runStoreSuite } from './store-suite.js';

const available = await postgresAvailable();

describe.skipIf(!available)('PostgreSQL store', () => {
  runStoreSuite({
    async newStore() {
      const schema = uniqueSchema();
      const open = () => createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
      const store = open();
      return {
        store,
        async execRaw(sql) {
          await withPostgres(async (client) => {
            await client.query(`SET search_path TO ${schema}`);
            await client.query(sql);
          });
        },
        async reopen() {
          return open();
        },
        async dispose() {
          await store.close();
          await dropSchema(schema);
        },
      };
    },
  });
});
