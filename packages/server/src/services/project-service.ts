import type { EnvironmentRecord, ListResult, Metadata, ProjectRecord } from '../stores/types.js';
import type { Change, ServiceContext, WriteOptions } from './context.js';
import { environmentChange, newEnvironment } from './environment-service.js';
import { mergePatch } from './flags/merge-patch.js';
import { ALL, checkKey, page, requireProject } from './lookups.js';

export interface ProjectInput {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly metadata?: Metadata | undefined;
}

/** Environments a new project gets unless told otherwise. */
export const DEFAULT_ENVIRONMENTS = ['development', 'production'] as const;

/**
 * Projects hold environments, flags and segments.
 * @example
 * await vexil.projects.create('shop', { name: 'Shop' }); // with development and production
 */
export class ProjectService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Creates a project with its environments (default: development and production). */
  create(
    key: string,
    input: ProjectInput & { environments?: readonly string[] | undefined } = {},
    options: WriteOptions = {},
  ): Promise<ProjectRecord> {
    const environments = input.environments ?? DEFAULT_ENVIRONMENTS;
    return this.ctx.commit(options, async (tx, meta) => {
      checkKey('project', key);
      environments.forEach((e, i) => {
        checkKey(`environments[${i}]`, e);
      });
      const record: ProjectRecord = {
        key,
        name: input.name ?? key,
        description: input.description ?? '',
        metadata: input.metadata ?? {},
        createdAt: meta.at,
        updatedAt: meta.at,
        createdBy: meta.actor,
        updatedBy: meta.actor,
      };
      await tx.insertProject(record);
      const changes: Change[] = [projectChange('project.create', record, null, record)];
      const created: EnvironmentRecord[] = [];
      for (const [position, env] of [...new Set(environments)].entries()) {
        const e = newEnvironment(key, env, { position }, meta);
        await tx.insertEnvironment(e);
        created.push(e);
        changes.push(environmentChange('environment.create', e, null, e));
      }
      return {
        result: record,
        changes,
        delivery: [{ project: key, environments: created.map((e) => e.key) }],
      };
    });
  }

  async exists(key: string): Promise<boolean> {
    return (await this.ctx.store.getProject(key)) !== undefined;
  }

  get(key: string): Promise<ProjectRecord> {
    return requireProject(this.ctx.store, key);
  }

  list(
    options: { limit?: number | undefined; offset?: number | undefined; text?: string | undefined } = {},
  ): Promise<ListResult<ProjectRecord>> {
    return this.ctx.store.listProjects({ ...page(options), text: options.text });
  }

  /** Changes name, description or metadata (metadata is replaced when given). */
  update(key: string, input: ProjectInput, options: WriteOptions = {}): Promise<ProjectRecord> {
    return this.change(key, options, (p) => ({
      ...p,
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.description === undefined ? {} : { description: input.description }),
      ...(input.metadata === undefined ? {} : { metadata: input.metadata }),
    }));
  }

  async getMetadata(key: string): Promise<Metadata> {
    return (await this.get(key)).metadata;
  }

  setMetadata(key: string, metadata: Metadata, options: WriteOptions = {}): Promise<ProjectRecord> {
    return this.change(key, options, (p) => ({ ...p, metadata }));
  }

  /** Merges into the metadata; a `null` value removes a key. */
  mergeMetadata(
    key: string,
    metadata: Record<string, unknown>,
    options: WriteOptions = {},
  ): Promise<ProjectRecord> {
    return this.change(key, options, (p) => ({
      ...p,
      metadata: mergePatch(p.metadata, metadata) as Metadata,
    }));
  }

  /** Deletes the project with everything in it, and revokes its API keys. */
  delete(key: string, options: WriteOptions = {}): Promise<void> {
    return this.ctx.commit(options, async (tx, meta) => {
      const project = await requireProject(tx, key);
      const environments = (await tx.listEnvironments(key)).map((e) => e.key);
      const changes: Change[] = [projectChange('project.delete', project, project, null)];
      const keys = await tx.listApiKeys({ ...ALL, project: key, now: meta.at });
      for (const apiKey of keys.items) {
        await tx.updateApiKey({ ...apiKey, revokedAt: meta.at });
        changes.push({
          action: 'apiKey.revoke',
          resourceType: 'apiKey',
          project: key,
          environment: apiKey.environment,
          key: apiKey.id,
          version: null,
          before: { status: 'active' },
          after: { status: 'revoked' },
        });
      }
      await tx.deleteProject(key);
      return {
        result: undefined,
        changes,
        delivery: [{ project: key, environments: [], removedEnvironments: environments }],
      };
    });
  }

  private change(
    key: string,
    options: WriteOptions,
    f: (p: ProjectRecord) => ProjectRecord,
  ): Promise<ProjectRecord> {
    return this.ctx.commit(options, async (tx, meta) => {
      const before = await requireProject(tx, key);
      const after = { ...f(before), updatedAt: meta.at, updatedBy: meta.actor };
      await tx.updateProject(after);
      return { result: after, changes: [projectChange('project.update', after, before, after)] };
    });
  }
}

function projectChange(action: string, p: ProjectRecord, before: unknown, after: unknown): Change {
  return {
    action,
    resourceType: 'project',
    project: p.key,
    environment: null,
    key: p.key,
    version: null,
    before,
    after,
  };
}
