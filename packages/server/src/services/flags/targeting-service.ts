import type { EnvironmentConfig, Prerequisite } from '@vexil/core';
import { NotFoundError } from '../../errors/index.js';
import type { ServiceContext, WriteOptions } from '../context.js';
import { editEnvironment } from './edit-environment.js';
import type { FlagTarget } from './rule-service.js';

/**
 * Individual targets (keys → variant), group overrides (segment → variant) and
 * prerequisites of a flag in one environment.
 */
export class TargetingService {
  constructor(private readonly ctx: ServiceContext) {}

  /** Serves `variant` to these targeting keys (moving them from any other variant). */
  addTargets(target: FlagTarget, variant: string, keys: readonly string[], options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.targets', options, (config) => {
      const moving = new Set(keys);
      const targets = withoutKeys(config.targets ?? {}, moving);
      targets[variant] = [...new Set([...(targets[variant] ?? []), ...keys])];
      return { targets };
    });
  }

  /** Stops targeting these keys individually. */
  removeTargets(target: FlagTarget, keys: readonly string[], options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.targets', options, (config, definition) => {
      const targets = withoutKeys(config.targets ?? {}, new Set(keys));
      // No targets left: drop the field (so the flag can be STATIC again) unless the flag
      // level has targets that an empty list must keep out.
      return {
        targets: Object.keys(targets).length === 0 && definition.targets === undefined ? undefined : targets,
      };
    });
  }

  setTargets(
    target: FlagTarget,
    targets: NonNullable<EnvironmentConfig['targets']>,
    options: WriteOptions = {},
  ) {
    return editEnvironment(this.ctx, target, 'flag.targets', options, () => ({ targets }));
  }

  /** Serves `variant` to everyone in `segment` (replacing that segment's override, or adding one last). */
  setOverride(target: FlagTarget, segment: string, variant: string, options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.targets', options, (config) => {
      const overrides = [...(config.overrides ?? [])];
      const index = overrides.findIndex((o) => o.segment === segment);
      if (index >= 0) overrides[index] = { segment, variant };
      else overrides.push({ segment, variant });
      return { overrides };
    });
  }

  removeOverride(target: FlagTarget, segment: string, options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.targets', options, (config) => {
      const overrides = config.overrides ?? [];
      if (!overrides.some((o) => o.segment === segment))
        throw new NotFoundError('override for segment', segment);
      return { overrides: overrides.filter((o) => o.segment !== segment) };
    });
  }

  /** Replaces the prerequisites: flags that must serve given variants first. */
  setPrerequisites(target: FlagTarget, prerequisites: readonly Prerequisite[], options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.update', options, () => ({
      prerequisites: [...prerequisites],
    }));
  }
}

function withoutKeys(targets: Record<string, string[]>, keys: ReadonlySet<string>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [variant, list] of Object.entries(targets)) {
    const kept = list.filter((k) => !keys.has(k));
    if (kept.length > 0) out[variant] = kept;
  }
  return out;
}
