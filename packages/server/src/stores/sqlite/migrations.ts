import { eventSchemaStatements } from '../sql/event-schema.js';
import type { Migration } from '../sql/migrator.js';
import { SCHEMA_V1, schemaStatements } from '../sql/schema.js';
import { SCHEMA_V3_WEIGHT_TABLES } from '../sql/weight-table-schema.js';

/** SQLite's migrations, in order. Append; never edit a released one. */
export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    statements: [
      ...schemaStatements(SCHEMA_V1, {
        json: 'TEXT',
        jsonb: 'TEXT',
        id: 'INTEGER PRIMARY KEY AUTOINCREMENT',
      }),
      `INSERT INTO meta (key, value) VALUES ('commit_version', '0')`,
    ],
  },
  { version: 2, name: 'events', statements: eventSchemaStatements({ time: 'TEXT', real: 'REAL' }) },
  {
    version: 3,
    name: 'subject weight tables',
    statements: schemaStatements(SCHEMA_V3_WEIGHT_TABLES, { json: 'TEXT', jsonb: 'TEXT', id: '' }),
  },
];
