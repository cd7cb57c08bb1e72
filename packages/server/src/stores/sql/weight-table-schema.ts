/**
 * Schema version 3: subject weight tables, one row per table (its subjects and weights
 * in `definition`, the core's `WeightTable`), shared by every environment of a project.
 */
export const SCHEMA_V3_WEIGHT_TABLES = `
CREATE TABLE weight_tables (
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
`;
