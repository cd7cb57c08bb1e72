import type { EnvironmentConfig, Rollout, Serve } from '@vexil/core';
import { ValidationError } from '../../errors/index.js';
import type { ServiceContext, WriteOptions } from '../context.js';
import { requireEnvironment, requireFlag } from '../lookups.js';
import { effectiveConfig } from './definition.js';
import { type ConfigPatch, editEnvironment } from './edit-environment.js';
import { type FlagTarget, ruleIndex } from './rule-service.js';

/** The default serve of a flag in an environment, or one rule's serve when `rule` is given. */
export interface ServeTarget extends FlagTarget {
  readonly rule?: string | undefined;
}

type Ramp = NonNullable<Rollout['ramp']>;
type Schedule = NonNullable<Rollout['schedule']>;

/**
 * What a flag serves: one variant or a percentage rollout, optionally ramped linearly
 * between two instants or stepped on a schedule.
 * @example
 * await vexil.rollouts.set({ project, environment, flag }, { variants: { on: 10000, off: 90000 } });
 * await vexil.rollouts.setRamp({ project, environment, flag },
 *   { start: '2026-12-01T00:00:00Z', end: '2026-12-08T00:00:00Z', to: { on: 100000, off: 0 } });
 */
export class RolloutService {
  constructor(private readonly ctx: ServiceContext) {}

  async get(target: ServeTarget): Promise<Serve | undefined> {
    await requireEnvironment(this.ctx.store, target.project, target.environment);
    const flag = await requireFlag(this.ctx.store, target.project, target.flag);
    return currentServe(effectiveConfig(flag.definition, target.environment), target);
  }

  /** Serves one variant to everyone who reaches this point. */
  serveVariant(target: ServeTarget, variant: string, options: WriteOptions = {}) {
    return this.edit(target, options, () => ({ variant }));
  }

  /** Serves a percentage rollout. */
  set(target: ServeTarget, rollout: Rollout, options: WriteOptions = {}) {
    return this.edit(target, options, () => ({ rollout }));
  }

  /** Ramps the current rollout linearly to `ramp.to` (replacing any schedule); `undefined` stops ramping. */
  setRamp(target: ServeTarget, ramp: Ramp | undefined, options: WriteOptions = {}) {
    return this.edit(target, options, (serve) => {
      const { ramp: _old, schedule: _schedule, ...rollout } = requireRollout(serve);
      return { rollout: ramp === undefined ? rollout : { ...rollout, ramp } };
    });
  }

  /** Steps the current rollout through `schedule` (replacing any ramp); `undefined` removes it. */
  setSchedule(target: ServeTarget, schedule: Schedule | undefined, options: WriteOptions = {}) {
    return this.edit(target, options, (serve) => {
      const { ramp: _ramp, schedule: _old, ...rollout } = requireRollout(serve);
      return { rollout: schedule === undefined ? rollout : { ...rollout, schedule } };
    });
  }

  private edit(target: ServeTarget, options: WriteOptions, change: (serve: Serve | undefined) => Serve) {
    return editEnvironment(this.ctx, target, 'flag.rollout', options, (config): ConfigPatch => {
      const serve = change(currentServe(config, target));
      if (target.rule === undefined) return { defaultServe: serve };
      const rules = [...(config.rules ?? [])];
      const index = ruleIndex(rules, target.rule);
      rules[index] = { ...rules[index]!, serve };
      return { rules };
    });
  }
}

function currentServe(config: EnvironmentConfig, target: ServeTarget): Serve | undefined {
  if (target.rule === undefined) return config.defaultServe;
  const rules = config.rules ?? [];
  return rules[ruleIndex(rules, target.rule)]!.serve;
}

function requireRollout(serve: Serve | undefined): Rollout {
  if (serve?.rollout === undefined) {
    throw new ValidationError([
      { path: 'rollout', message: 'this serves no rollout yet: set a rollout first' },
    ]);
  }
  return serve.rollout;
}
