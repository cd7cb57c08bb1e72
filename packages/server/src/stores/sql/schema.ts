/**
 * The first schema, written once for both databases. `{json}` becomes TEXT on SQLite and
 * JSON on PostgreSQL (JSON, not JSONB, so documents keep their key order); `{jsonb}` is
 * for columns that are searched; `{id}` is the audit log's auto-increment key.
 */
export const SCHEMA_V1 = `
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value {json} NOT NULL
);
CREATE TABLE projects (
  key TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  metadata {json} NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_by TEXT NOT NULL
);
CREATE TABLE environments (
  project TEXT NOT NULL REFERENCES projects (key),
  key TEXT NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  position INTEGER NOT NULL,
  version BIGINT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (project, key)
);
CREATE TABLE flags (
  project TEXT NOT NULL REFERENCES projects (key),
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  archived BOOLEAN NOT NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  tags {jsonb} NOT NULL,
  definition {json} NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (project, key)
);
CREATE TABLE flag_versions (
  project TEXT NOT NULL,
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  archived BOOLEAN NOT NULL,
  definition {json} NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (project, key, version)
);
CREATE TABLE segments (
  project TEXT NOT NULL REFERENCES projects (key),
  key TEXT NOT NULL,
  version INTEGER NOT NULL,
  description TEXT NOT NULL,
  definition {json} NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  updated_by TEXT NOT NULL,
  PRIMARY KEY (project, key)
);
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  project TEXT,
  environment TEXT,
  name TEXT NOT NULL,
  hash TEXT NOT NULL UNIQUE,
  hint TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  last_used_at TEXT,
  revoked_at TEXT,
  expires_at TEXT,
  replaced_by TEXT
);
CREATE TABLE audit_log (
  id {id},
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  project TEXT,
  environment TEXT,
  resource_key TEXT NOT NULL,
  version INTEGER,
  before {json},
  after {json},
  comment TEXT
);
CREATE INDEX audit_log_resource ON audit_log (project, resource_type, resource_key, id);
CREATE TABLE changes (
  project TEXT NOT NULL,
  environment TEXT NOT NULL,
  version BIGINT NOT NULL,
  previous_version BIGINT NOT NULL,
  action TEXT NOT NULL,
  flags {json} NOT NULL,
  segments {json} NOT NULL,
  at TEXT NOT NULL,
  PRIMARY KEY (project, environment, version)
);
`;

/** Splits a schema into statements and fills in the dialect's types. */
export function schemaStatements(
  schema: string,
  types: { json: string; jsonb: string; id: string },
): string[] {
  return schema
    .replaceAll('{jsonb}', types.jsonb)
    .replaceAll('{json}', types.json)
    .replaceAll('{id}', types.id)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
