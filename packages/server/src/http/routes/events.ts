import type { Delivery } from '../../delivery/delivery.js';
import {
  EventBatchAcceptedSchema,
  EventBatchSchema,
  MAX_BATCH_BYTES,
  MAX_EVENTS_PER_BATCH,
} from '../../events/batch-schema.js';
import { createEventPipeline, type EventPipeline } from '../../events/event-pipeline.js';
import { EventQueries } from '../../events/event-queries.js';
import { PayloadTooLargeError } from '../../events/payload-too-large-error.js';
import { QueueFullError } from '../../events/queue-full-error.js';
import { FlagEnvParams, ProjectParams } from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';
import {
  ExperimentResultsQuery,
  ExperimentResultsSchema,
  ExposureCountQuery,
  ExposureCounts,
  TrackCountQuery,
  TrackCounts,
} from './event-schemas.js';

/**
 * `POST /api/v1/events` (SDK keys) and the admin reads over stored events. Without a
 * pipeline one is made on the store, and closed (flushed) with the server.
 */
export function eventRoutes(
  app: App,
  { vexil, delivery }: RouteContext & { delivery?: Delivery },
  given?: EventPipeline,
): EventPipeline {
  const pipeline =
    given ??
    createEventPipeline({ store: vexil.store, logger: app.log, metrics: delivery?.metrics.registry });
  if (given === undefined) app.addHook('onClose', () => pipeline.close());
  const queries = new EventQueries(vexil);

  app.post(
    `${API}/events`,
    {
      config: { access: 'sdk' },
      bodyLimit: MAX_BATCH_BYTES,
      schema: {
        tags: ['events'],
        summary: 'Send a batch of exposures and tracked events (idempotent by batchId)',
        description:
          `At most ${MAX_EVENTS_PER_BATCH} events and 1 MiB (413 beyond). Answered once the batch is durably ` +
          'stored; a batch id already stored answers 202 again with duplicate: true. 429 with Retry-After when ' +
          'the write queue is full.',
        body: EventBatchSchema,
        response: { 202: EventBatchAcceptedSchema },
      },
      preValidation: async (request) => {
        const events = (request.body as { events?: unknown } | undefined)?.events;
        if (Array.isArray(events) && events.length > MAX_EVENTS_PER_BATCH) {
          pipeline.refused('too_large');
          throw new PayloadTooLargeError(
            `a batch holds at most ${MAX_EVENTS_PER_BATCH} events; this one has ${events.length}`,
            'events',
          );
        }
      },
    },
    async (request, reply) => {
      const key = request.apiKey!;
      try {
        const outcome = await pipeline.submit(key.project!, key.environment!, request.body);
        return reply.status(202).send(outcome);
      } catch (error) {
        if (error instanceof QueueFullError) reply.header('retry-after', String(error.retryAfterSeconds));
        throw error;
      }
    },
  );

  const tags = { tags: ['events'] };
  app.get(
    `${API}/projects/:project/events/exposures`,
    {
      schema: {
        ...tags,
        summary: 'Exposures per flag, variant and day (UTC), with distinct context keys',
        params: ProjectParams,
        querystring: ExposureCountQuery,
        response: { 200: ExposureCounts },
      },
    },
    async (req) => ({ items: await queries.exposures(req.params.project, req.query) }),
  );
  app.get(
    `${API}/projects/:project/events/tracked`,
    {
      schema: {
        ...tags,
        summary: 'Tracked events per name and day (UTC): count, sum of values, distinct context keys',
        params: ProjectParams,
        querystring: TrackCountQuery,
        response: { 200: TrackCounts },
      },
    },
    async (req) => ({ items: await queries.trackedEvents(req.params.project, req.query) }),
  );
  app.get(
    `${API}/projects/:project/flags/:flag/environments/:environment/experiment/results`,
    {
      schema: {
        ...tags,
        summary:
          'Experiment results: per variant, conversions and values with 95 % intervals, vs control, SRM check',
        params: FlagEnvParams,
        querystring: ExperimentResultsQuery,
        response: { 200: ExperimentResultsSchema },
      },
    },
    (req) => queries.experimentResults(req.params, req.query),
  );
  return pipeline;
}
