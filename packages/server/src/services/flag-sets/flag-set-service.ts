import type { FlagSetDefinition } from '@vexil/core';
import { NotFoundError } from '../../errors/index.js';
import type { ChangeRecord } from '../../stores/types.js';
import type { ServiceContext } from '../context.js';
import { requireEnvironment } from '../lookups.js';
import { buildFlagSet, type FlagSetScope } from './build-flag-set.js';

/** Flag sets per environment and scope, read from the store, for snapshots and streams. */
export class FlagSetService {
  constructor(private readonly ctx: ServiceContext) {}

  /** The environment's flag set for `scope`, with its version, read in one consistent snapshot. */
  async build(project: string, environment: string, scope: FlagSetScope): Promise<FlagSetDefinition> {
    const state = await this.ctx.store.readEnvironmentState(project, environment);
    if (state === undefined) {
      await requireEnvironment(this.ctx.store, project, environment);
      throw new NotFoundError('environment', environment);
    }
    return buildFlagSet(state, scope, this.ctx.now());
  }

  /** The environment's change log after `afterVersion`, oldest first (at most `limit` rows). */
  async changesSince(
    project: string,
    environment: string,
    afterVersion: number,
    limit = 1000,
  ): Promise<ChangeRecord[]> {
    return this.ctx.store.listChanges(project, environment, afterVersion, limit);
  }
}
