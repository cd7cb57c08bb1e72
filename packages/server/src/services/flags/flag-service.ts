import type { EnvironmentConfig } from '@vexil/core';
import { InUseError, NotFoundError } from '../../errors/index.js';
import type {
  FlagDefinition,
  FlagQuery,
  FlagRecord,
  FlagVersionRecord,
  ListResult,
  Metadata,
} from '../../stores/types.js';
import type { ServiceContext, WriteOptions } from '../context.js';
import {
  ALL,
  checkKey,
  checkVersion,
  environmentKeys,
  page,
  requireEnvironment,
  requireFlag,
  requireProject,
} from '../lookups.js';
import { flagView } from '../views.js';
import { patchEnvironmentConfig, prerequisiteRefs, withEnvironmentConfig } from './definition.js';
import { mutateFlag } from './flag-writes.js';
import { mergePatch } from './merge-patch.js';
import { validateFlag } from './validate-flag.js';

/** Listing options for flags. */
export type FlagListOptions = { [K in keyof FlagQuery]?: FlagQuery[K] | undefined };

/** The system fields of a flag, with its free-form metadata (Flipper's `get_meta`). */
export interface FlagMeta {
  readonly version: number;
  readonly archived: boolean;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt: string;
  readonly updatedBy: string;
  readonly metadata: Metadata;
}

/**
 * Flags of a project: create, read, change, switch per environment, archive, delete,
 * metadata, history and rollback. Every write is one audited commit.
 * @example
 * await vexil.flags.create('default', 'new-checkout', { type: 'boolean' }, { actor: 'alice' });
 * await vexil.flags.enable('default', 'production', 'new-checkout');
 */
export class FlagService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Creates a flag (a boolean flag when no definition is given). */
  create(
    project: string,
    key: string,
    definition: unknown = { type: 'boolean' },
    options: WriteOptions = {},
  ) {
    return this.ctx.commit(options, async (tx, meta) => {
      checkKey('key', key);
      await requireProject(tx, project);
      const environments = await environmentKeys(tx, project);
      const valid = await validateFlag({ db: tx, project, environments }, key, definition);
      const record: FlagRecord = {
        project,
        key,
        version: 1,
        archived: false,
        definition: valid,
        createdAt: meta.at,
        updatedAt: meta.at,
        createdBy: meta.actor,
        updatedBy: meta.actor,
      };
      await tx.insertFlag(record);
      await tx.insertFlagVersion({ ...record, action: 'flag.create', actor: meta.actor, at: meta.at });
      return {
        result: record,
        changes: [flagChange('flag.create', record, null, flagView(record))],
        delivery: [{ project, environments, flags: [key] }],
      };
    });
  }

  async exists(project: string, key: string): Promise<boolean> {
    return (await this.ctx.store.getFlag(project, key)) !== undefined;
  }

  get(project: string, key: string): Promise<FlagRecord> {
    return requireFlag(this.ctx.store, project, key);
  }

  /** Flags by key, `limit` (default 50, at most 1000) from `offset`, filtered by tag, text and archived. */
  async list(project: string, options: FlagListOptions = {}): Promise<ListResult<FlagRecord>> {
    await requireProject(this.ctx.store, project);
    return this.ctx.store.listFlags(project, { ...options, ...page(options) });
  }

  /** Replaces the whole definition (archived state and system fields are kept). */
  replace(project: string, key: string, definition: unknown, options: WriteOptions = {}) {
    return mutateFlag(this.ctx, project, key, 'flag.update', () => ({ definition }), options);
  }

  /** Applies a JSON merge patch (RFC 7396) to the definition: `null` removes a field. */
  patch(project: string, key: string, patch: unknown, options: WriteOptions = {}) {
    return mutateFlag(
      this.ctx,
      project,
      key,
      'flag.update',
      (current) => ({ definition: mergePatch(current.definition, patch) }),
      options,
    );
  }

  /** Computes the new definition from the current one. */
  update(
    project: string,
    key: string,
    updater: (definition: FlagDefinition) => FlagDefinition,
    options: WriteOptions = {},
  ) {
    return mutateFlag(
      this.ctx,
      project,
      key,
      'flag.update',
      (c) => ({ definition: updater(c.definition) }),
      options,
    );
  }

  /** Turns the flag on in one environment. */
  enable(project: string, environment: string, key: string, options: WriteOptions = {}) {
    return this.updateEnvironment(project, environment, key, { enabled: true }, options, 'flag.enable');
  }

  /** Turns the flag off in one environment: it serves its off variant. */
  disable(project: string, environment: string, key: string, options: WriteOptions = {}) {
    return this.updateEnvironment(project, environment, key, { enabled: false }, options, 'flag.disable');
  }

  /** The environment's own settings (what it lays over the flag-level ones). */
  async getEnvironment(project: string, environment: string, key: string): Promise<EnvironmentConfig> {
    await requireEnvironment(this.ctx.store, project, environment);
    return (await this.get(project, key)).definition.environments?.[environment] ?? {};
  }

  /** Replaces the environment's own settings. */
  setEnvironment(
    project: string,
    environment: string,
    key: string,
    config: EnvironmentConfig,
    options: WriteOptions = {},
  ) {
    return this.inEnvironment(project, environment, key, 'flag.update', options, (d) =>
      withEnvironmentConfig(d, environment, config),
    );
  }

  /** Changes some of the environment's own settings; a field set to `undefined` falls back to the flag level. */
  updateEnvironment(
    project: string,
    environment: string,
    key: string,
    patch: { [K in keyof EnvironmentConfig]?: EnvironmentConfig[K] | undefined },
    options: WriteOptions = {},
    action = 'flag.update',
  ) {
    return this.inEnvironment(project, environment, key, action, options, (d) =>
      patchEnvironmentConfig(d, environment, patch),
    );
  }

  /** Applies a JSON merge patch (RFC 7396) to the environment's own settings. */
  patchEnvironment(
    project: string,
    environment: string,
    key: string,
    patch: unknown,
    options: WriteOptions = {},
  ) {
    return this.inEnvironment(project, environment, key, 'flag.update', options, (d) =>
      withEnvironmentConfig(
        d,
        environment,
        mergePatch(d.environments?.[environment] ?? {}, patch) as EnvironmentConfig,
      ),
    );
  }

  /** Archives the flag: SDKs stop seeing it; its definition is kept and can be restored. */
  archive(project: string, key: string, options: WriteOptions = {}) {
    return mutateFlag(this.ctx, project, key, 'flag.archive', () => ({ archived: true }), options);
  }

  restore(project: string, key: string, options: WriteOptions = {}) {
    return mutateFlag(this.ctx, project, key, 'flag.restore', () => ({ archived: false }), options);
  }

  /** Deletes the flag and its history (the audit log keeps it). Refused while other flags need it. */
  delete(project: string, key: string, options: WriteOptions = {}) {
    return this.ctx.commit(options, async (tx) => {
      const current = await requireFlag(tx, project, key);
      checkVersion('flag', key, current.version, options.expectedVersion);
      const dependents = (await tx.listFlags(project, ALL)).items
        .filter((f) => f.key !== key && prerequisiteRefs(f.definition).some((r) => r.flag === key))
        .map((f) => `flag ${JSON.stringify(f.key)}`);
      if (dependents.length > 0) throw new InUseError('flag', key, dependents);
      await tx.deleteFlag(project, key);
      return {
        result: undefined,
        changes: [flagChange('flag.delete', current, flagView(current), null)],
        delivery: [{ project, environments: await environmentKeys(tx, project), flags: [key] }],
      };
    });
  }

  async getMetadata(project: string, key: string): Promise<Metadata> {
    return (await this.get(project, key)).definition.metadata ?? {};
  }

  /** Replaces the flag's metadata. */
  setMetadata(project: string, key: string, metadata: Metadata, options: WriteOptions = {}) {
    return mutateFlag(
      this.ctx,
      project,
      key,
      'flag.metadata',
      (c) => ({ definition: withMetadata(c.definition, metadata) }),
      options,
    );
  }

  /** Merges into the flag's metadata (Flipper's `set_client_data`); a `null` value removes a key. */
  mergeMetadata(project: string, key: string, metadata: Record<string, unknown>, options: WriteOptions = {}) {
    return mutateFlag(
      this.ctx,
      project,
      key,
      'flag.metadata',
      (c) => ({
        definition: withMetadata(c.definition, mergePatch(c.definition.metadata ?? {}, metadata) as Metadata),
      }),
      options,
    );
  }

  /** System fields and metadata (Flipper's `get_meta`). */
  async getMeta(project: string, key: string): Promise<FlagMeta> {
    const f = await this.get(project, key);
    const { version, archived, createdAt, createdBy, updatedAt, updatedBy } = f;
    return {
      version,
      archived,
      createdAt,
      createdBy,
      updatedAt,
      updatedBy,
      metadata: f.definition.metadata ?? {},
    };
  }

  /** The flag's versions, newest first. */
  async history(
    project: string,
    key: string,
    options: { limit?: number | undefined; offset?: number | undefined } = {},
  ): Promise<ListResult<FlagVersionRecord>> {
    await this.get(project, key);
    return this.ctx.store.listFlagVersions(project, key, page(options));
  }

  async getVersion(project: string, key: string, version: number): Promise<FlagVersionRecord> {
    const found = await this.ctx.store.getFlagVersion(project, key, version);
    if (found === undefined) {
      await this.get(project, key);
      throw new NotFoundError('version', `${key}@${version}`);
    }
    return found;
  }

  /** Makes an earlier version current again, as a new version (audited as `flag.rollback`). */
  rollback(project: string, key: string, toVersion: number, options: WriteOptions = {}) {
    return mutateFlag(
      this.ctx,
      project,
      key,
      'flag.rollback',
      async (_current, tx) => {
        const old = await tx.getFlagVersion(project, key, toVersion);
        if (old === undefined) throw new NotFoundError('version', `${key}@${toVersion}`);
        return { definition: old.definition, archived: old.archived };
      },
      options,
    );
  }

  private inEnvironment(
    project: string,
    environment: string,
    key: string,
    action: string,
    options: WriteOptions,
    change: (definition: FlagDefinition) => FlagDefinition,
  ) {
    return mutateFlag(
      this.ctx,
      project,
      key,
      action,
      async (current, tx) => {
        await requireEnvironment(tx, project, environment);
        return { definition: change(current.definition) };
      },
      options,
      environment,
    );
  }
}

function withMetadata(definition: FlagDefinition, metadata: Metadata): FlagDefinition {
  const next = { ...definition, metadata };
  if (Object.keys(metadata).length === 0) delete (next as { metadata?: Metadata }).metadata;
  return next;
}

export function flagChange(action: string, record: FlagRecord, before: unknown, after: unknown) {
  return {
    action,
    resourceType: 'flag' as const,
    project: record.project,
    environment: null,
    key: record.key,
    version: record.version,
    before,
    after,
  };
}
