/**
 * Schema version 2: event ingestion. `{time}` is TEXT (ISO 8601, UTC) on SQLite and
 * TIMESTAMPTZ on PostgreSQL; `{real}` a double. `day` (`YYYY-MM-DD`, UTC) is kept so counts
 * per day group on a column. One index per event table serves both the daily counts (its
 * prefix) and the experiment analysis (the whole index).
 */
export const SCHEMA_V2_EVENTS = `
CREATE TABLE event_batches (
  project TEXT NOT NULL,
  environment TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  sdk TEXT,
  received_at {time} NOT NULL,
  events INTEGER NOT NULL,
  PRIMARY KEY (project, environment, batch_id)
);
CREATE TABLE exposures (
  project TEXT NOT NULL,
  environment TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  time {time} NOT NULL,
  day TEXT NOT NULL,
  flag TEXT NOT NULL,
  variant TEXT NOT NULL,
  context_key TEXT,
  reason TEXT,
  rule_id TEXT,
  experiment TEXT
);
CREATE INDEX exposures_by_flag ON exposures (project, environment, flag, experiment, context_key);
CREATE TABLE tracked_events (
  project TEXT NOT NULL,
  environment TEXT NOT NULL,
  batch_id TEXT NOT NULL,
  time {time} NOT NULL,
  day TEXT NOT NULL,
  name TEXT NOT NULL,
  value {real},
  context_key TEXT
);
CREATE INDEX tracked_events_by_name ON tracked_events (project, environment, name, context_key, time);
`;

/** The event tables' statements for one database. */
export function eventSchemaStatements(types: { time: string; real: string }): string[] {
  return SCHEMA_V2_EVENTS.replaceAll('{time}', types.time)
    .replaceAll('{real}', types.real)
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export const EXPOSURE_COLUMNS = [
  'project',
  'environment',
  'batch_id',
  'time',
  'day',
  'flag',
  'variant',
  'context_key',
  'reason',
  'rule_id',
  'experiment',
] as const;

export const TRACK_COLUMNS = [
  'project',
  'environment',
  'batch_id',
  'time',
  'day',
  'name',
  'value',
  'context_key',
] as const;
