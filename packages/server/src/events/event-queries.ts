import { ValidationError } from '../errors/index.js';
import type { FlagTarget } from '../services/flags/rule-service.js';
import { requireEnvironment, requireProject } from '../services/lookups.js';
import type { Vexil } from '../services/vexil.js';
import type { ExposureCount, TrackCount } from '../stores/event-types.js';
import { analyzeExperiment, type ExperimentResults } from './stats/experiment-analysis.js';

/** A time range: `from` inclusive, `to` exclusive, ISO 8601. */
export interface TimeRange {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

/** An experiment's results with what they were computed over. */
export interface ExperimentReport extends ExperimentResults {
  readonly project: string;
  readonly environment: string;
  readonly flag: string;
  readonly experiment: string;
  readonly status: 'scheduled' | 'running' | 'ended';
  readonly from: string | null;
  readonly to: string | null;
}

/**
 * Reads over the stored events: daily counts for the dashboard, and experiment results.
 * @example
 * const queries = new EventQueries(vexil);
 * await queries.exposures('shop', { environment: 'production', flag: 'checkout' });
 */
export class EventQueries {
  constructor(private readonly vexil: Vexil) {}

  /** Exposures per environment, flag, variant and UTC day. */
  async exposures(
    project: string,
    filter: TimeRange & { environment?: string | undefined; flag?: string | undefined } = {},
  ): Promise<ExposureCount[]> {
    await this.requireScope(project, filter.environment);
    return this.vexil.store.countExposures({ project, ...filter, ...normalize(filter) });
  }

  /** Tracked events per environment, name and UTC day, with the sum of their values. */
  async trackedEvents(
    project: string,
    filter: TimeRange & { environment?: string | undefined; name?: string | undefined } = {},
  ): Promise<TrackCount[]> {
    await this.requireScope(project, filter.environment);
    return this.vexil.store.countTrackedEvents({ project, ...filter, ...normalize(filter) });
  }

  /**
   * The experiment on a flag in an environment, analysed over its window (its start and
   * end, unless `from` / `to` say otherwise) against `control`.
   */
  async experimentResults(
    target: FlagTarget,
    options: TimeRange & { control?: string | undefined } = {},
  ): Promise<ExperimentReport> {
    const info = await this.vexil.experiments.get(target);
    const { experiment } = info;
    const range = normalize({ from: options.from ?? experiment.start, to: options.to ?? experiment.end });
    if (options.control !== undefined && !(options.control in experiment.variants)) {
      throw new ValidationError([
        {
          path: 'query.control',
          message: `not a variant of the experiment (${Object.keys(experiment.variants).join(', ')})`,
        },
      ]);
    }
    const data = await this.vexil.store.readExperimentData({
      project: target.project,
      environment: target.environment,
      flag: target.flag,
      experiment: experiment.key,
      ...range,
      metrics: (experiment.metrics ?? []).map((m) => m.event),
    });
    return {
      project: target.project,
      environment: target.environment,
      flag: target.flag,
      experiment: experiment.key,
      status: info.status,
      from: range.from ?? null,
      to: range.to ?? null,
      ...analyzeExperiment(experiment, data, options.control),
    };
  }

  private async requireScope(project: string, environment: string | undefined): Promise<void> {
    if (environment === undefined) await requireProject(this.vexil.store, project);
    else await requireEnvironment(this.vexil.store, project, environment);
  }
}

/** Instants as stored (`toISOString`), so they compare right as text on SQLite. */
function normalize(range: TimeRange): { from?: string; to?: string } {
  const out: { from?: string; to?: string } = {};
  if (range.from !== undefined) out.from = new Date(range.from).toISOString();
  if (range.to !== undefined) out.to = new Date(range.to).toISOString();
  return out;
}
