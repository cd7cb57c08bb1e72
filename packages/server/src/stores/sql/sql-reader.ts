import type { StoreReader } from '../store.js';
import type {
  ApiKeyQuery,
  ApiKeyRecord,
  AuditEntry,
  AuditQuery,
  ChangeRecord,
  EnvironmentChanges,
  EnvironmentRecord,
  FlagQuery,
  FlagRecord,
  FlagVersionRecord,
  ListResult,
  Page,
  ProjectQuery,
  ProjectRecord,
  SegmentQuery,
  SegmentRecord,
  WeightTableQuery,
  WeightTableRecord,
} from '../types.js';
import type { SqlDialect, SqlExecutor } from './executor.js';
import {
  likePattern,
  type Row,
  toApiKey,
  toAudit,
  toChange,
  toEnvironment,
  toFlag,
  toFlagVersion,
  toProject,
  toSegment,
  toWeightTable,
} from './rows.js';

/** Collects WHERE clauses and their parameters. */
class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(clause: (p: (value: unknown) => string) => string): void {
    this.clauses.push(clause((value) => this.param(value)));
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  toString(): string {
    return this.clauses.length === 0 ? '' : `WHERE ${this.clauses.join(' AND ')}`;
  }
}

/** The reads of every SQL store, written once for SQLite and PostgreSQL. */
export class SqlReader implements StoreReader {
  constructor(
    protected readonly db: SqlExecutor,
    protected readonly d: SqlDialect,
  ) {}

  protected async page<T>(
    table: string,
    where: Where,
    order: string,
    page: Page,
    map: (row: Row) => T,
  ): Promise<ListResult<T>> {
    const filters = [...where.params];
    const limit = where.param(page.limit);
    const offset = where.param(page.offset);
    const rows = await this.db.all<Row>(
      `SELECT * FROM ${table} ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
      where.params,
    );
    // A page that holds the last rows tells the total without counting (a list of everything, typically).
    if (rows.length < page.limit && (rows.length > 0 || page.offset === 0))
      return { items: rows.map(map), total: page.offset + rows.length };
    const [count] = await this.db.all<{ n: unknown }>(
      `SELECT count(*) AS n FROM ${table} ${where.toString()}`,
      filters,
    );
    return { items: rows.map(map), total: Number(count?.n ?? 0) };
  }

  protected textFilter(where: Where, columns: readonly string[], text: string | undefined): void {
    if (text === undefined || text === '') return;
    where.add((p) => {
      const pattern = p(likePattern(text));
      return `(${columns.map((c) => `${c} ${this.d.ilike} ${pattern} ESCAPE '\\'`).join(' OR ')})`;
    });
  }

  async getProject(key: string): Promise<ProjectRecord | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM projects WHERE key = $1', [key]);
    return row === undefined ? undefined : toProject(this.d, row);
  }

  listProjects(query: ProjectQuery): Promise<ListResult<ProjectRecord>> {
    const where = new Where();
    this.textFilter(where, ['key', 'name', 'description'], query.text);
    return this.page('projects', where, 'key', query, (row) => toProject(this.d, row));
  }

  async getEnvironment(project: string, key: string): Promise<EnvironmentRecord | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM environments WHERE project = $1 AND key = $2', [
      project,
      key,
    ]);
    return row === undefined ? undefined : toEnvironment(row);
  }

  async listEnvironments(project: string): Promise<EnvironmentRecord[]> {
    const rows = await this.db.all<Row>(
      'SELECT * FROM environments WHERE project = $1 ORDER BY position, key',
      [project],
    );
    return rows.map(toEnvironment);
  }

  async getFlag(project: string, key: string): Promise<FlagRecord | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM flags WHERE project = $1 AND key = $2', [
      project,
      key,
    ]);
    return row === undefined ? undefined : toFlag(this.d, row);
  }

  listFlags(project: string, query: FlagQuery): Promise<ListResult<FlagRecord>> {
    const where = new Where();
    where.add((p) => `project = ${p(project)}`);
    if (query.archived !== undefined) where.add((p) => `archived = ${p(this.d.bool(query.archived!))}`);
    if (query.tag !== undefined) where.add((p) => this.d.arrayContains('tags', p(query.tag)));
    this.textFilter(where, ['key', 'name', 'description'], query.text);
    return this.page('flags', where, 'key', query, (row) => toFlag(this.d, row));
  }

  async getFlagVersion(
    project: string,
    key: string,
    version: number,
  ): Promise<FlagVersionRecord | undefined> {
    const [row] = await this.db.all<Row>(
      'SELECT * FROM flag_versions WHERE project = $1 AND key = $2 AND version = $3',
      [project, key, version],
    );
    return row === undefined ? undefined : toFlagVersion(this.d, row);
  }

  listFlagVersions(project: string, key: string, page: Page): Promise<ListResult<FlagVersionRecord>> {
    const where = new Where();
    where.add((p) => `project = ${p(project)} AND key = ${p(key)}`);
    return this.page('flag_versions', where, 'version DESC', page, (row) => toFlagVersion(this.d, row));
  }

  async getSegment(project: string, key: string): Promise<SegmentRecord | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM segments WHERE project = $1 AND key = $2', [
      project,
      key,
    ]);
    return row === undefined ? undefined : toSegment(this.d, row);
  }

  listSegments(project: string, query: SegmentQuery): Promise<ListResult<SegmentRecord>> {
    const where = new Where();
    where.add((p) => `project = ${p(project)}`);
    this.textFilter(where, ['key', 'description'], query.text);
    return this.page('segments', where, 'key', query, (row) => toSegment(this.d, row));
  }

  async getWeightTable(project: string, key: string): Promise<WeightTableRecord | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM weight_tables WHERE project = $1 AND key = $2', [
      project,
      key,
    ]);
    return row === undefined ? undefined : toWeightTable(this.d, row);
  }

  listWeightTables(project: string, query: WeightTableQuery): Promise<ListResult<WeightTableRecord>> {
    const where = new Where();
    where.add((p) => `project = ${p(project)}`);
    this.textFilter(where, ['key', 'description'], query.text);
    return this.page('weight_tables', where, 'key', query, (row) => toWeightTable(this.d, row));
  }

  async getApiKey(id: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM api_keys WHERE id = $1', [id]);
    return row === undefined ? undefined : toApiKey(row);
  }

  async getApiKeyByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const [row] = await this.db.all<Row>('SELECT * FROM api_keys WHERE hash = $1', [hash]);
    return row === undefined ? undefined : toApiKey(row);
  }

  listApiKeys(query: ApiKeyQuery): Promise<ListResult<ApiKeyRecord>> {
    const where = new Where();
    if (query.kind !== undefined) where.add((p) => `kind = ${p(query.kind)}`);
    if (query.project !== undefined) where.add((p) => `project = ${p(query.project)}`);
    if (query.environment !== undefined) where.add((p) => `environment = ${p(query.environment)}`);
    if (query.includeInactive !== true) {
      where.add((p) => `revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ${p(query.now)})`);
    }
    return this.page('api_keys', where, 'created_at, id', query, toApiKey);
  }

  listAudit(query: AuditQuery): Promise<ListResult<AuditEntry>> {
    const where = new Where();
    if (query.project !== undefined) where.add((p) => `project = ${p(query.project)}`);
    if (query.environment !== undefined) where.add((p) => `environment = ${p(query.environment)}`);
    if (query.resourceType !== undefined) where.add((p) => `resource_type = ${p(query.resourceType)}`);
    if (query.resourceKey !== undefined) where.add((p) => `resource_key = ${p(query.resourceKey)}`);
    if (query.action !== undefined) where.add((p) => `action = ${p(query.action)}`);
    return this.page('audit_log', where, 'id DESC', query, (row) => toAudit(this.d, row));
  }

  async listChanges(
    project: string,
    environment: string,
    afterVersion: number,
    limit: number,
  ): Promise<ChangeRecord[]> {
    const rows = await this.db.all<Row>(
      `SELECT * FROM changes WHERE project = $1 AND environment = $2 AND version > $3
       ORDER BY version LIMIT $4`,
      [project, environment, afterVersion, limit],
    );
    return rows.map((row) => toChange(this.d, row));
  }

  /**
   * What changed in the environment after `afterVersion` (see `Store.readEnvironmentChanges`),
   * in a few queries: the caller runs them in one read transaction.
   */
  async readChangesAfter(
    project: string,
    environment: string,
    afterVersion: number,
    limit: number,
  ): Promise<EnvironmentChanges | undefined> {
    const env = await this.getEnvironment(project, environment);
    if (env === undefined) return undefined;
    const rows = await this.db.all<Row>(
      `SELECT * FROM changes
       WHERE project = $1 AND environment IN (SELECT key FROM environments WHERE project = $1) AND version > $2
       ORDER BY version LIMIT $3`,
      [project, afterVersion, limit],
    );
    const changes = rows.map((row) => toChange(this.d, row));
    const named = (pick: (c: ChangeRecord) => readonly string[]) => [...new Set(changes.flatMap(pick))];
    const byKeys = async (table: string, keys: readonly string[]) =>
      keys.length === 0
        ? []
        : this.db.all<Row>(
            `SELECT * FROM ${table} WHERE project = $1 AND key IN (SELECT value FROM json_each($2))`,
            [project, JSON.stringify(keys)],
          );
    const flags = (
      await byKeys(
        'flags',
        named((c) => c.flags),
      )
    ).map((row) => toFlag(this.d, row));
    const segments = (
      await byKeys(
        'segments',
        named((c) => c.segments),
      )
    ).map((row) => toSegment(this.d, row));
    const tables = new Set<string>();
    for (const flag of flags) weightedBy(flag.definition, tables);
    const weightTables = (await byKeys('weight_tables', [...tables])).map((row) =>
      toWeightTable(this.d, row),
    );
    return { environment: env, changes, flags, segments, weightTables };
  }

  async getMeta(key: string): Promise<unknown> {
    const [row] = await this.db.all<Row>('SELECT value FROM meta WHERE key = $1', [key]);
    return row === undefined ? undefined : this.d.parseJson(row.value);
  }
}

/** Adds every `weightedBy` value found anywhere in `value` (rollouts and experiments, any environment). */
function weightedBy(value: unknown, into: Set<string>): void {
  if (typeof value !== 'object' || value === null) return;
  if (Array.isArray(value)) {
    for (const item of value) weightedBy(item, into);
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    if (key === 'weightedBy' && typeof item === 'string') into.add(item);
    else weightedBy(item, into);
  }
}
