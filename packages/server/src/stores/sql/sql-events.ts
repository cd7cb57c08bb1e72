import type {
  AppendOutcome,
  EventBatchRecord,
  ExperimentData,
  ExperimentDataQuery,
  ExposureCount,
  ExposureCountQuery,
  ExposureRecord,
  MetricAggregate,
  TrackCount,
  TrackCountQuery,
  TrackRecord,
} from '../event-types.js';
import { EXPOSURE_COLUMNS, TRACK_COLUMNS } from './event-schema.js';
import type { SqlExecutor } from './executor.js';

/**
 * Event writes and reads of both SQL stores. The caller chooses the connection: a
 * transaction for `append`, a consistent snapshot for `readExperimentData`.
 */
export class SqlEvents {
  constructor(private readonly dialect: 'sqlite' | 'postgres') {}

  /** Stores each batch not yet stored, with its events; run it inside a transaction. */
  async append(db: SqlExecutor, batches: readonly EventBatchRecord[]): Promise<AppendOutcome[]> {
    // The same batch twice in one group (a retry racing its original): only the first is a candidate.
    const seen = new Set<string>();
    const firstOccurrence = batches.map((b) => {
      const id = batchKey(b.project, b.environment, b.batchId);
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const candidates = batches.filter((_, i) => firstOccurrence[i]);
    const inserted = await this.insertBatchRows(db, candidates);
    const exposures: unknown[][] = [];
    const tracks: unknown[][] = [];
    for (const batch of inserted) {
      for (const event of batch.events) {
        if (event.kind === 'exposure') exposures.push(exposureRow(batch, event));
        else tracks.push(trackRow(batch, event));
      }
    }
    await this.insertRows(db, 'exposures', EXPOSURE_COLUMNS, exposures);
    await this.insertRows(db, 'tracked_events', TRACK_COLUMNS, tracks);
    return batches.map((b, i) => ({
      batchId: b.batchId,
      duplicate: !(firstOccurrence[i] && inserted.has(b)),
    }));
  }

  async countExposures(db: SqlExecutor, q: ExposureCountQuery): Promise<ExposureCount[]> {
    const where = filters(q, q.flag === undefined ? [] : [['flag', q.flag]]);
    const rows = await db.all<Record<string, unknown>>(
      `SELECT environment, flag, variant, day, COUNT(*) AS exposures, COUNT(DISTINCT context_key) AS subjects
         FROM exposures WHERE ${where.sql}
         GROUP BY environment, flag, variant, day
         ORDER BY day, environment, flag, variant`,
      where.params,
    );
    return rows.map((r) => ({
      environment: String(r.environment),
      flag: String(r.flag),
      variant: String(r.variant),
      day: String(r.day),
      exposures: Number(r.exposures),
      subjects: Number(r.subjects),
    }));
  }

  async countTrackedEvents(db: SqlExecutor, q: TrackCountQuery): Promise<TrackCount[]> {
    const where = filters(q, q.name === undefined ? [] : [['name', q.name]]);
    const rows = await db.all<Record<string, unknown>>(
      `SELECT environment, name, day, COUNT(*) AS count, COALESCE(SUM(value), 0) AS sum,
              COUNT(DISTINCT context_key) AS subjects
         FROM tracked_events WHERE ${where.sql}
         GROUP BY environment, name, day
         ORDER BY day, environment, name`,
      where.params,
    );
    return rows.map((r) => ({
      environment: String(r.environment),
      name: String(r.name),
      day: String(r.day),
      count: Number(r.count),
      sum: Number(r.sum),
      subjects: Number(r.subjects),
    }));
  }

  /** Run it in one consistent snapshot: it reads several times. */
  async readExperimentData(db: SqlExecutor, q: ExperimentDataQuery): Promise<ExperimentData> {
    const params: unknown[] = [q.project, q.environment, q.flag, q.experiment];
    const window: string[] = [];
    if (q.from !== undefined) {
      params.push(q.from);
      window.push(`time >= $${params.length}`);
    }
    let eventsBefore = '';
    if (q.to !== undefined) {
      params.push(q.to);
      window.push(`time < $${params.length}`);
      eventsBefore = `AND t.time < $${params.length}`;
    }
    const exposed = `SELECT context_key, MIN(time) AS first_time, MIN(variant) AS variant,
                            COUNT(DISTINCT variant) AS variants
                       FROM exposures
                      WHERE project = $1 AND environment = $2 AND flag = $3 AND experiment = $4
                        AND context_key IS NOT NULL ${window.map((w) => `AND ${w}`).join(' ')}
                      GROUP BY context_key`;
    const subjects = `SELECT context_key, first_time, variant FROM (${exposed}) e WHERE variants = 1`;
    const variantRows = await db.all<Record<string, unknown>>(
      `SELECT variant, COUNT(*) AS subjects FROM (${subjects}) s GROUP BY variant ORDER BY variant`,
      params,
    );
    const [mixed] = await db.all<Record<string, unknown>>(
      `SELECT COUNT(*) AS n FROM (${exposed}) e WHERE variants > 1`,
      params,
    );
    const metrics: { event: string; rows: MetricAggregate[] }[] = [];
    for (const event of [...new Set(q.metrics)]) {
      const p = [...params, event];
      const name = `$${p.length}`;
      const rows = await db.all<Record<string, unknown>>(
        `WITH per_subject AS (
           SELECT s.variant AS variant, COUNT(t.time) AS events, COUNT(t.value) AS valued,
                  COALESCE(SUM(t.value), 0) AS total
             FROM (${subjects}) s
             LEFT JOIN tracked_events t
               ON t.project = $1 AND t.environment = $2 AND t.name = ${name}
              AND t.context_key = s.context_key AND t.time >= s.first_time ${eventsBefore}
            GROUP BY s.variant, s.context_key)
         SELECT variant, COUNT(*) AS subjects,
                SUM(CASE WHEN events > 0 THEN 1 ELSE 0 END) AS converted,
                SUM(total) AS total, SUM(total * total) AS total_sq,
                SUM(CASE WHEN valued > 0 THEN 1 ELSE 0 END) AS valued,
                SUM(CASE WHEN valued > 0 THEN total / valued ELSE 0 END) AS mean_sum,
                SUM(CASE WHEN valued > 0 THEN (total / valued) * (total / valued) ELSE 0 END) AS mean_sum_sq
           FROM per_subject GROUP BY variant ORDER BY variant`,
        p,
      );
      metrics.push({
        event,
        rows: rows.map((r) => ({
          variant: String(r.variant),
          subjects: Number(r.subjects),
          converted: Number(r.converted),
          total: Number(r.total),
          totalSq: Number(r.total_sq),
          valued: Number(r.valued),
          meanSum: Number(r.mean_sum),
          meanSumSq: Number(r.mean_sum_sq),
        })),
      });
    }
    return {
      variants: variantRows.map((r) => ({ variant: String(r.variant), subjects: Number(r.subjects) })),
      mixedSubjects: Number(mixed?.n ?? 0),
      metrics,
    };
  }

  /** Inserts the batch rows; returns the batches that were new. */
  private async insertBatchRows(
    db: SqlExecutor,
    batches: readonly EventBatchRecord[],
  ): Promise<Set<EventBatchRecord>> {
    const inserted = new Set<EventBatchRecord>();
    if (batches.length === 0) return inserted;
    if (this.dialect === 'postgres') {
      const rows = await db.all<{ batch_id: string; project: string; environment: string }>(
        `INSERT INTO event_batches (project, environment, batch_id, sdk, received_at, events)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::int[])
         ON CONFLICT DO NOTHING RETURNING project, environment, batch_id`,
        columnsOf(batches.map(batchRow), 6),
      );
      const keys = new Set(rows.map((r) => batchKey(r.project, r.environment, r.batch_id)));
      for (const b of batches) {
        if (keys.has(batchKey(b.project, b.environment, b.batchId))) inserted.add(b);
      }
      return inserted;
    }
    for (const batch of batches) {
      const changed = await db.run(
        `INSERT INTO event_batches (project, environment, batch_id, sdk, received_at, events)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        batchRow(batch),
      );
      if (changed > 0) inserted.add(batch);
    }
    return inserted;
  }

  private async insertRows(
    db: SqlExecutor,
    table: string,
    columns: readonly string[],
    rows: readonly unknown[][],
  ): Promise<void> {
    if (rows.length === 0) return;
    const list = columns.join(', ');
    if (this.dialect === 'postgres') {
      const types = columns.map((c, i) => `$${i + 1}::${pgType(c)}[]`).join(', ');
      await db.run(
        `INSERT INTO ${table} (${list}) SELECT * FROM unnest(${types})`,
        columnsOf(rows, columns.length),
      );
      return;
    }
    const sql = `INSERT INTO ${table} (${list}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`;
    if (db.runMany !== undefined) {
      await db.runMany(sql, rows);
      return;
    }
    for (const row of rows) await db.run(sql, row);
  }
}

function batchKey(project: string, environment: string, batchId: string): string {
  return `${project}\u0000${environment}\u0000${batchId}`;
}

function batchRow(b: EventBatchRecord): unknown[] {
  return [b.project, b.environment, b.batchId, b.sdk, b.receivedAt, b.events.length];
}

function exposureRow(b: EventBatchRecord, e: ExposureRecord): unknown[] {
  return [
    b.project,
    b.environment,
    b.batchId,
    e.time,
    e.time.slice(0, 10),
    e.flag,
    e.variant,
    e.contextKey,
    e.reason,
    e.ruleId,
    e.experiment,
  ];
}

function trackRow(b: EventBatchRecord, e: TrackRecord): unknown[] {
  return [b.project, b.environment, b.batchId, e.time, e.time.slice(0, 10), e.name, e.value, e.contextKey];
}

/** Rows → one array per column (for `unnest`). */
function columnsOf(rows: readonly unknown[][], width: number): unknown[][] {
  const columns: unknown[][] = Array.from({ length: width }, () => new Array(rows.length));
  rows.forEach((row, r) => {
    for (let c = 0; c < width; c++) columns[c]![r] = row[c];
  });
  return columns;
}

function pgType(column: string): string {
  if (column === 'time') return 'timestamptz';
  if (column === 'value') return 'float8';
  return 'text';
}

/** WHERE clauses for project, environment, time range and extra equalities. */
function filters(
  q: {
    project: string;
    environment?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
  },
  extra: readonly [string, string][],
): { sql: string; params: unknown[] } {
  const params: unknown[] = [q.project];
  const clauses = ['project = $1'];
  const add = (clause: (p: string) => string, value: unknown) => {
    params.push(value);
    clauses.push(clause(`$${params.length}`));
  };
  if (q.environment !== undefined) add((p) => `environment = ${p}`, q.environment);
  for (const [column, value] of extra) add((p) => `${column} = ${p}`, value);
  if (q.from !== undefined) add((p) => `time >= ${p}`, q.from);
  if (q.to !== undefined) add((p) => `time < ${p}`, q.to);
  return { sql: clauses.join(' AND '), params };
}
