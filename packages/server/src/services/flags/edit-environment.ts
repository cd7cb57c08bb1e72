import type { EnvironmentConfig } from '@vexil/core';
import type { FlagDefinition, FlagRecord } from '../../stores/types.js';
import type { ServiceContext, WriteOptions } from '../context.js';
import { requireEnvironment } from '../lookups.js';
import { effectiveConfig, patchEnvironmentConfig } from './definition.js';
import { mutateFlag } from './flag-writes.js';

export type ConfigPatch = { [K in keyof EnvironmentConfig]?: EnvironmentConfig[K] | undefined };

/**
 * Changes a flag's settings in one environment, starting from the settings in force there
 * (flag-level ones included) and writing the result as the environment's own.
 */
export function editEnvironment(
  ctx: ServiceContext,
  target: { project: string; environment: string; flag: string },
  action: string,
  options: WriteOptions,
  edit: (effective: EnvironmentConfig, definition: FlagDefinition) => ConfigPatch,
): Promise<FlagRecord> {
  const { project, environment, flag } = target;
  return mutateFlag(
    ctx,
    project,
    flag,
    action,
    async (current, tx) => {
      await requireEnvironment(tx, project, environment);
      const patch = edit(effectiveConfig(current.definition, environment), current.definition);
      return { definition: patchEnvironmentConfig(current.definition, environment, patch) };
    },
    options,
    environment,
  );
}
