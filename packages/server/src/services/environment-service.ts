import type { EnvironmentRecord } from '../stores/types.js';
import type { Change, CommitMeta, ServiceContext, WriteOptions } from './context.js';
import { withEnvironmentConfig } from './flags/definition.js';
import { writeFlagVersion } from './flags/flag-writes.js';
import { ALL, checkKey, environmentKeys, requireEnvironment, requireProject } from './lookups.js';

export interface EnvironmentInput {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  /** Sort order (default: after the others). */
  readonly position?: number | undefined;
}

export function newEnvironment(
  project: string,
  key: string,
  input: EnvironmentInput,
  meta: CommitMeta,
): EnvironmentRecord {
  return {
    project,
    key,
    name: input.name ?? key,
    description: input.description ?? '',
    position: input.position ?? 0,
    version: 0,
    createdAt: meta.at,
    updatedAt: meta.at,
    createdBy: meta.actor,
    updatedBy: meta.actor,
  };
}

export function environmentChange(
  action: string,
  e: EnvironmentRecord,
  before: unknown,
  after: unknown,
): Change {
  return {
    action,
    resourceType: 'environment',
    project: e.project,
    environment: e.key,
    key: e.key,
    version: null,
    before,
    after,
  };
}

/** Environments of a project; each has its own flag settings, API keys and flag-set version. */
export class EnvironmentService {
  constructor(private readonly ctx: ServiceContext) {}

  create(project: string, key: string, input: EnvironmentInput = {}, options: WriteOptions = {}) {
    return this.ctx.commit(options, async (tx, meta) => {
      checkKey('environment', key);
      await requireProject(tx, project);
      const existing = await tx.listEnvironments(project);
      const position = input.position ?? existing.reduce((max, e) => Math.max(max, e.position + 1), 0);
      const record = newEnvironment(project, key, { ...input, position }, meta);
      await tx.insertEnvironment(record);
      return {
        result: record,
        changes: [environmentChange('environment.create', record, null, record)],
        delivery: [{ project, environments: [key] }],
      };
    });
  }

  async exists(project: string, key: string): Promise<boolean> {
    return (await this.ctx.store.getEnvironment(project, key)) !== undefined;
  }

  get(project: string, key: string): Promise<EnvironmentRecord> {
    return requireEnvironment(this.ctx.store, project, key);
  }

  async list(project: string): Promise<EnvironmentRecord[]> {
    await requireProject(this.ctx.store, project);
    return this.ctx.store.listEnvironments(project);
  }

  update(project: string, key: string, input: EnvironmentInput, options: WriteOptions = {}) {
    return this.ctx.commit(options, async (tx, meta) => {
      const before = await requireEnvironment(tx, project, key);
      const after: EnvironmentRecord = {
        ...before,
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.position === undefined ? {} : { position: input.position }),
        updatedAt: meta.at,
        updatedBy: meta.actor,
      };
      await tx.updateEnvironment(after);
      return { result: after, changes: [environmentChange('environment.update', after, before, after)] };
    });
  }

  /**
   * Deletes the environment: its settings leave every flag (each gets a new version, which
   * the other environments' flag sets show: they get a new version too), its change log goes,
   * and its API keys are revoked.
   */
  delete(project: string, key: string, options: WriteOptions = {}) {
    return this.ctx.commit(options, async (tx, meta) => {
      const environment = await requireEnvironment(tx, project, key);
      const changes: Change[] = [environmentChange('environment.delete', environment, environment, null)];
      const rewritten: string[] = [];
      for (const flag of (await tx.listFlags(project, ALL)).items) {
        if (flag.definition.environments?.[key] === undefined) continue;
        const definition = withEnvironmentConfig(flag.definition, key, undefined);
        const written = await writeFlagVersion(
          tx,
          meta,
          'flag.update',
          flag,
          { definition, archived: flag.archived },
          undefined,
        );
        changes.push({ ...written.change, environment: key });
        rewritten.push(flag.key);
      }
      const keys = await tx.listApiKeys({ ...ALL, project, environment: key, now: meta.at });
      for (const apiKey of keys.items) {
        await tx.updateApiKey({ ...apiKey, revokedAt: meta.at });
        changes.push({
          action: 'apiKey.revoke',
          resourceType: 'apiKey',
          project,
          environment: key,
          key: apiKey.id,
          version: null,
          before: { status: 'active' },
          after: { status: 'revoked' },
        });
      }
      await tx.deleteEnvironment(project, key);
      const others =
        rewritten.length === 0 ? [] : (await environmentKeys(tx, project)).filter((e) => e !== key);
      return {
        result: undefined,
        changes,
        delivery: [{ project, environments: others, flags: rewritten, removedEnvironments: [key] }],
      };
    });
  }
}
