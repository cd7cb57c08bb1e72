import { AlreadyExistsError } from '../../errors/index.js';
import type { StoreWriter } from '../store.js';
import type {
  ApiKeyRecord,
  ChangeRecord,
  EnvironmentRecord,
  FlagRecord,
  FlagVersionRecord,
  NewAuditEntry,
  ProjectRecord,
  SegmentRecord,
  WeightTableRecord,
} from '../types.js';
import type { SqlDialect, SqlExecutor } from './executor.js';
import { SqlReader } from './sql-reader.js';

/** Whether a driver error is a primary-key or unique violation. */
/** The tables holding a project's definitions by key (segments, weight tables). */
type DefinitionTable = 'segments' | 'weight_tables';
type DefinitionRecord = SegmentRecord | WeightTableRecord;

export type UniqueViolationTest = (error: unknown) => boolean;

/** The writes of every SQL store, used inside a transaction. */
export class SqlWriter extends SqlReader implements StoreWriter {
  constructor(
    db: SqlExecutor,
    d: SqlDialect,
    private readonly isUniqueViolation: UniqueViolationTest,
  ) {
    super(db, d);
  }

  private async insert(what: string, key: string, sql: string, params: readonly unknown[]): Promise<void> {
    try {
      await this.db.run(sql, params);
    } catch (error) {
      if (this.isUniqueViolation(error)) throw new AlreadyExistsError(what, key);
      throw error;
    }
  }

  insertProject(r: ProjectRecord): Promise<void> {
    return this.insert(
      'project',
      r.key,
      `INSERT INTO projects (key, name, description, metadata, created_at, updated_at, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        r.key,
        r.name,
        r.description,
        this.d.json(r.metadata),
        r.createdAt,
        r.updatedAt,
        r.createdBy,
        r.updatedBy,
      ],
    );
  }

  async updateProject(r: ProjectRecord): Promise<void> {
    await this.db.run(
      `UPDATE projects SET name = $2, description = $3, metadata = $4, updated_at = $5, updated_by = $6
       WHERE key = $1`,
      [r.key, r.name, r.description, this.d.json(r.metadata), r.updatedAt, r.updatedBy],
    );
  }

  async deleteProject(key: string): Promise<void> {
    for (const table of ['changes', 'flag_versions', 'flags', 'segments', 'weight_tables', 'environments']) {
      await this.db.run(`DELETE FROM ${table} WHERE project = $1`, [key]);
    }
    await this.db.run('DELETE FROM projects WHERE key = $1', [key]);
  }

  insertEnvironment(r: EnvironmentRecord): Promise<void> {
    return this.insert(
      'environment',
      r.key,
      `INSERT INTO environments
         (project, key, name, description, position, version, created_at, updated_at, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [
        r.project,
        r.key,
        r.name,
        r.description,
        r.position,
        r.version,
        r.createdAt,
        r.updatedAt,
        r.createdBy,
        r.updatedBy,
      ],
    );
  }

  async updateEnvironment(r: EnvironmentRecord): Promise<void> {
    await this.db.run(
      `UPDATE environments SET name = $3, description = $4, position = $5, updated_at = $6, updated_by = $7
       WHERE project = $1 AND key = $2`,
      [r.project, r.key, r.name, r.description, r.position, r.updatedAt, r.updatedBy],
    );
  }

  async deleteEnvironment(project: string, key: string): Promise<void> {
    await this.db.run('DELETE FROM changes WHERE project = $1 AND environment = $2', [project, key]);
    await this.db.run('DELETE FROM environments WHERE project = $1 AND key = $2', [project, key]);
  }

  async bumpEnvironmentVersions(
    project: string,
    environments: readonly string[],
  ): Promise<{ version: number; previous: Map<string, number> }> {
    const previous = new Map<string, number>();
    for (const key of [...new Set(environments)].sort()) {
      const [row] = await this.db.all<{ version: unknown }>(
        `SELECT version FROM environments WHERE project = $1 AND key = $2 ${this.d.forUpdate}`,
        [project, key],
      );
      if (row !== undefined) previous.set(key, Number(row.version));
    }
    const version = await this.d.nextCommitVersion(this.db);
    for (const key of previous.keys()) {
      await this.db.run('UPDATE environments SET version = $3 WHERE project = $1 AND key = $2', [
        project,
        key,
        version,
      ]);
    }
    return { version, previous };
  }

  insertFlag(r: FlagRecord): Promise<void> {
    return this.insert(
      'flag',
      r.key,
      `INSERT INTO flags (project, key, version, archived, name, description, tags, definition,
         created_at, updated_at, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [r.project, r.key, ...this.flagColumns(r), r.createdAt, r.updatedAt, r.createdBy, r.updatedBy],
    );
  }

  async updateFlag(r: FlagRecord, expectedVersion: number): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE flags SET version = $3, archived = $4, name = $5, description = $6, tags = $7, definition = $8,
         updated_at = $9, updated_by = $10
       WHERE project = $1 AND key = $2 AND version = $11`,
      [r.project, r.key, ...this.flagColumns(r), r.updatedAt, r.updatedBy, expectedVersion],
    );
    return changed === 1;
  }

  private flagColumns(r: FlagRecord): unknown[] {
    const def = r.definition;
    return [
      r.version,
      this.d.bool(r.archived),
      def.name ?? '',
      def.description ?? '',
      this.d.json(def.tags ?? []),
      this.d.json(def),
    ];
  }

  async deleteFlag(project: string, key: string): Promise<void> {
    await this.db.run('DELETE FROM flag_versions WHERE project = $1 AND key = $2', [project, key]);
    await this.db.run('DELETE FROM flags WHERE project = $1 AND key = $2', [project, key]);
  }

  insertFlagVersion(r: FlagVersionRecord): Promise<void> {
    return this.insert(
      'flag version',
      `${r.key}@${r.version}`,
      `INSERT INTO flag_versions (project, key, version, archived, definition, action, actor, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        r.project,
        r.key,
        r.version,
        this.d.bool(r.archived),
        this.d.json(r.definition),
        r.action,
        r.actor,
        r.at,
      ],
    );
  }

  insertSegment(r: SegmentRecord): Promise<void> {
    return this.insertDefinition('segments', 'segment', r);
  }

  updateSegment(r: SegmentRecord, expectedVersion: number): Promise<boolean> {
    return this.updateDefinition('segments', r, expectedVersion);
  }

  deleteSegment(project: string, key: string): Promise<void> {
    return this.deleteDefinition('segments', project, key);
  }

  insertWeightTable(r: WeightTableRecord): Promise<void> {
    return this.insertDefinition('weight_tables', 'weight table', r);
  }

  updateWeightTable(r: WeightTableRecord, expectedVersion: number): Promise<boolean> {
    return this.updateDefinition('weight_tables', r, expectedVersion);
  }

  deleteWeightTable(project: string, key: string): Promise<void> {
    return this.deleteDefinition('weight_tables', project, key);
  }

  /** Segments and weight tables: a project's definitions by key, with a description column. */
  private insertDefinition(table: DefinitionTable, what: string, r: DefinitionRecord): Promise<void> {
    return this.insert(
      what,
      r.key,
      `INSERT INTO ${table} (project, key, version, description, definition,
         created_at, updated_at, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        r.project,
        r.key,
        r.version,
        r.definition.description ?? '',
        this.d.json(r.definition),
        r.createdAt,
        r.updatedAt,
        r.createdBy,
        r.updatedBy,
      ],
    );
  }

  private async updateDefinition(
    table: DefinitionTable,
    r: DefinitionRecord,
    expectedVersion: number,
  ): Promise<boolean> {
    const changed = await this.db.run(
      `UPDATE ${table} SET version = $3, description = $4, definition = $5, updated_at = $6, updated_by = $7
       WHERE project = $1 AND key = $2 AND version = $8`,
      [
        r.project,
        r.key,
        r.version,
        r.definition.description ?? '',
        this.d.json(r.definition),
        r.updatedAt,
        r.updatedBy,
        expectedVersion,
      ],
    );
    return changed === 1;
  }

  private async deleteDefinition(table: DefinitionTable, project: string, key: string): Promise<void> {
    await this.db.run(`DELETE FROM ${table} WHERE project = $1 AND key = $2`, [project, key]);
  }

  insertApiKey(r: ApiKeyRecord): Promise<void> {
    return this.insert(
      'API key',
      r.id,
      `INSERT INTO api_keys (id, kind, project, environment, name, hash, hint, created_at, created_by,
         last_used_at, revoked_at, expires_at, replaced_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        r.id,
        r.kind,
        r.project,
        r.environment,
        r.name,
        r.hash,
        r.hint,
        r.createdAt,
        r.createdBy,
        r.lastUsedAt,
        r.revokedAt,
        r.expiresAt,
        r.replacedBy,
      ],
    );
  }

  async updateApiKey(r: ApiKeyRecord): Promise<void> {
    await this.db.run(
      `UPDATE api_keys SET name = $2, last_used_at = $3, revoked_at = $4, expires_at = $5, replaced_by = $6
       WHERE id = $1`,
      [r.id, r.name, r.lastUsedAt, r.revokedAt, r.expiresAt, r.replacedBy],
    );
  }

  async appendAudit(e: NewAuditEntry): Promise<number> {
    const [row] = await this.db.all<{ id: unknown }>(
      `INSERT INTO audit_log (at, actor, action, resource_type, project, environment, resource_key, version,
         before, after, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        e.at,
        e.actor,
        e.action,
        e.resourceType,
        e.project,
        e.environment,
        e.resourceKey,
        e.version,
        e.before === null || e.before === undefined ? null : this.d.json(e.before),
        e.after === null || e.after === undefined ? null : this.d.json(e.after),
        e.comment,
      ],
    );
    return Number(row?.id);
  }

  async appendChange(c: ChangeRecord): Promise<void> {
    await this.db.run(
      `INSERT INTO changes (project, environment, version, previous_version, action, flags, segments, at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        c.project,
        c.environment,
        c.version,
        c.previousVersion,
        c.action,
        this.d.json(c.flags),
        this.d.json(c.segments),
        c.at,
      ],
    );
  }

  async setMeta(key: string, value: unknown): Promise<void> {
    await this.db.run(
      'INSERT INTO meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      [key, this.d.json(value)],
    );
  }
}
