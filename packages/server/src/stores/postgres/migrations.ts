import { eventSchemaStatements } from '../sql/event-schema.js';
import type { Migration } from '../sql/migrator.js';
import { SCHEMA_V1, schemaStatements } from '../sql/schema.js';
import { SCHEMA_V3_WEIGHT_TABLES } from '../sql/weight-table-schema.js';

/** PostgreSQL's migrations, in order. Append; never edit a released one. */
export const POSTGRES_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    statements: [
      ...schemaStatements(SCHEMA_V1, { json: 'JSON', jsonb: 'JSONB', id: 'BIGSERIAL PRIMARY KEY' }),
      'CREATE SEQUENCE vexil_commit_version',
    ],
  },
  {
    version: 2,
    name: 'events',
    statements: eventSchemaStatements({ time: 'TIMESTAMPTZ', real: 'DOUBLE PRECISION' }),
  },
  {
    version: 3,
    name: 'subject weight tables',
    statements: schemaStatements(SCHEMA_V3_WEIGHT_TABLES, { json: 'JSON', jsonb: 'JSONB', id: '' }),
  },
];
