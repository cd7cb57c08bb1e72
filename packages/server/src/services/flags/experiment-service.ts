import type { Experiment } from '@vexil/core';
import { NotFoundError } from '../../errors/index.js';
import type { ServiceContext, WriteOptions } from '../context.js';
import { ALL, environmentKeys, requireEnvironment, requireFlag, requireProject } from '../lookups.js';
import { effectiveConfig } from './definition.js';
import { editEnvironment } from './edit-environment.js';
import type { FlagTarget } from './rule-service.js';

export type ExperimentStatus = 'scheduled' | 'running' | 'ended';

/** An experiment with where it runs and whether it runs now. */
export interface ExperimentInfo {
  readonly project: string;
  readonly environment: string;
  readonly flag: string;
  readonly experiment: Experiment;
  readonly status: ExperimentStatus;
}

/**
 * Time-boxed A/B/n tests: one per flag and environment, in the core's format. Without a
 * `start` an experiment runs as soon as it is set; `start()` and `stop()` set the window.
 */
export class ExperimentService {
  constructor(private readonly ctx: ServiceContext) {}

  async get(target: FlagTarget): Promise<ExperimentInfo> {
    await requireEnvironment(this.ctx.store, target.project, target.environment);
    const flag = await requireFlag(this.ctx.store, target.project, target.flag);
    const experiment = effectiveConfig(flag.definition, target.environment).experiment;
    if (experiment === undefined) throw new NotFoundError('experiment on flag', target.flag);
    return this.info(target.project, target.environment, target.flag, experiment);
  }

  /** Every experiment of a project (optionally of one environment). */
  async list(project: string, options: { environment?: string | undefined } = {}): Promise<ExperimentInfo[]> {
    await requireProject(this.ctx.store, project);
    const environments =
      options.environment === undefined
        ? await environmentKeys(this.ctx.store, project)
        : [options.environment];
    const flags = (await this.ctx.store.listFlags(project, { ...ALL, archived: false })).items;
    const out: ExperimentInfo[] = [];
    for (const flag of flags) {
      for (const environment of environments) {
        const experiment = effectiveConfig(flag.definition, environment).experiment;
        if (experiment !== undefined) out.push(this.info(project, environment, flag.key, experiment));
      }
    }
    return out;
  }

  /** Creates or replaces the flag's experiment in the environment. */
  set(target: FlagTarget, experiment: Experiment, options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.experiment', options, () => ({ experiment }));
  }

  /** Starts the experiment now (or at `at`); an end already past is cleared. */
  start(target: FlagTarget, options: WriteOptions & { at?: string | undefined } = {}) {
    const at = options.at ?? this.ctx.now();
    return this.change(target, options, (e) => {
      const next: Experiment = { ...e, start: at };
      if (next.end !== undefined && Date.parse(next.end) <= Date.parse(at)) delete next.end;
      return next;
    });
  }

  /** Ends the experiment now (or at `at`). */
  stop(target: FlagTarget, options: WriteOptions & { at?: string | undefined } = {}) {
    const at = options.at ?? this.ctx.now();
    return this.change(target, options, (e) => ({ ...e, end: at }));
  }

  remove(target: FlagTarget, options: WriteOptions = {}) {
    return this.change(target, options, () => undefined);
  }

  private change(target: FlagTarget, options: WriteOptions, f: (e: Experiment) => Experiment | undefined) {
    return editEnvironment(this.ctx, target, 'flag.experiment', options, (config) => {
      if (config.experiment === undefined) throw new NotFoundError('experiment on flag', target.flag);
      return { experiment: f(config.experiment) };
    });
  }

  private info(project: string, environment: string, flag: string, experiment: Experiment): ExperimentInfo {
    const now = this.ctx.nowMs();
    const status: ExperimentStatus =
      experiment.start !== undefined && Date.parse(experiment.start) > now
        ? 'scheduled'
        : experiment.end !== undefined && Date.parse(experiment.end) <= now
          ? 'ended'
          : 'running';
    return { project, environment, flag, experiment, status };
  }
}
