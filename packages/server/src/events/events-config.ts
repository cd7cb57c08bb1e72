import { Option } from 'commander';
import type { Issue } from '../errors/index.js';
import { integerOf, textOf } from '../server/config-values.js';
import { WRITER_DEFAULTS } from './group-commit-writer.js';

/** Event ingestion settings of `vexil serve`. */
export interface EventsConfig {
  /** Also append every stored event to this NDJSON file. */
  readonly file: string | undefined;
  /** Most events waiting to be written before `POST /api/v1/events` answers 429. */
  readonly queueSize: number;
}

export interface EventsFlags {
  readonly eventsFile?: string | undefined;
  readonly eventQueue?: string | undefined;
}

export function resolveEventsConfig(
  flags: EventsFlags,
  env: NodeJS.ProcessEnv,
  issues: Issue[],
): EventsConfig {
  return {
    file: textOf({ flag: flags.eventsFile, flagName: '--events-file', envName: 'VEXIL_EVENTS_FILE' }, env)
      .value,
    queueSize: integerOf(
      { flag: flags.eventQueue, flagName: '--event-queue', envName: 'VEXIL_EVENT_QUEUE' },
      env,
      issues,
      { min: 1000, max: 10_000_000, fallback: WRITER_DEFAULTS.maxQueuedEvents },
    ),
  };
}

/** The `vexil serve` options of event ingestion. */
export function eventsOptions(): Option[] {
  return [
    new Option(
      '--events-file <path>',
      'also append every stored event to this NDJSON file (env: VEXIL_EVENTS_FILE)',
    ),
    new Option(
      '--event-queue <events>',
      `events waiting to be written before POST /api/v1/events answers 429 (env: VEXIL_EVENT_QUEUE, default: ${WRITER_DEFAULTS.maxQueuedEvents})`,
    ),
  ];
}
