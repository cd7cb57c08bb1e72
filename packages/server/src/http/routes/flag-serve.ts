import { ExperimentSchema, ServeSchema } from '@vexil/core';
import { z } from 'zod';
import { flagView } from '../../services/views.js';
import { writeOptions } from '../request-helpers.js';
import {
  ExperimentWindow,
  FlagEnvParams,
  FlagResponse,
  RampSet,
  ScheduleSet,
  ServeQuery,
} from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';

const E = `${API}/projects/:project/flags/:flag/environments/:environment`;
const tags = { tags: ['flag settings per environment'] };
const ifMatch = { headers: z.looseObject({ 'if-match': z.string().optional() }) };
const ExperimentInfo = z.object({
  project: z.string(),
  environment: z.string(),
  flag: z.string(),
  experiment: ExperimentSchema,
  status: z.enum(['scheduled', 'running', 'ended']),
});

function target(req: { params: z.infer<typeof FlagEnvParams> }) {
  return { project: req.params.project, environment: req.params.environment, flag: req.params.flag };
}

/** What a flag serves in one environment (variant, rollout, ramp, schedule) and its experiment. */
export function flagServeRoutes(app: App, { vexil }: RouteContext): void {
  const flag = { params: FlagEnvParams, response: { 200: FlagResponse } };
  const serve = { querystring: ServeQuery };
  app.get(
    `${E}/serve`,
    {
      schema: {
        ...tags,
        ...serve,
        summary: 'What the flag serves by default (or a rule serves)',
        params: FlagEnvParams,
        response: { 200: z.object({ serve: ServeSchema.nullable() }) },
      },
    },
    async (req) => ({ serve: (await vexil.rollouts.get({ ...target(req), rule: req.query.rule })) ?? null }),
  );
  app.put(
    `${E}/serve`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        ...serve,
        summary: 'Serve a variant or a percentage rollout',
        body: ServeSchema,
      },
    },
    async (req) => {
      const at = { ...target(req), rule: req.query.rule };
      const options = writeOptions(req, true);
      const record =
        req.body.rollout === undefined
          ? await vexil.rollouts.serveVariant(at, req.body.variant!, options)
          : await vexil.rollouts.set(at, req.body.rollout, options);
      return flagView(record);
    },
  );
  app.put(
    `${E}/serve/ramp`,
    {
      schema: { ...tags, ...ifMatch, ...flag, ...serve, summary: 'Ramp the rollout linearly', body: RampSet },
    },
    async (req) =>
      flagView(
        await vexil.rollouts.setRamp(
          { ...target(req), rule: req.query.rule },
          req.body.ramp,
          writeOptions(req, true),
        ),
      ),
  );
  app.delete(
    `${E}/serve/ramp`,
    { schema: { ...tags, ...ifMatch, ...flag, ...serve, summary: 'Stop ramping' } },
    async (req) =>
      flagView(
        await vexil.rollouts.setRamp(
          { ...target(req), rule: req.query.rule },
          undefined,
          writeOptions(req, true),
        ),
      ),
  );
  app.put(
    `${E}/serve/schedule`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        ...serve,
        summary: 'Step the rollout on a schedule',
        body: ScheduleSet,
      },
    },
    async (req) =>
      flagView(
        await vexil.rollouts.setSchedule(
          { ...target(req), rule: req.query.rule },
          req.body.schedule,
          writeOptions(req, true),
        ),
      ),
  );
  app.delete(
    `${E}/serve/schedule`,
    { schema: { ...tags, ...ifMatch, ...flag, ...serve, summary: 'Remove the schedule' } },
    async (req) =>
      flagView(
        await vexil.rollouts.setSchedule(
          { ...target(req), rule: req.query.rule },
          undefined,
          writeOptions(req, true),
        ),
      ),
  );

  app.get(
    `${E}/experiment`,
    {
      schema: {
        ...tags,
        summary: 'The flag’s experiment here',
        params: FlagEnvParams,
        response: { 200: ExperimentInfo },
      },
    },
    (req) => vexil.experiments.get(target(req)),
  );
  app.put(
    `${E}/experiment`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        summary: 'Create or replace the experiment',
        body: ExperimentSchema,
      },
    },
    async (req) => flagView(await vexil.experiments.set(target(req), req.body, writeOptions(req, true))),
  );
  app.delete(
    `${E}/experiment`,
    { schema: { ...tags, ...ifMatch, ...flag, summary: 'Remove the experiment' } },
    async (req) => flagView(await vexil.experiments.remove(target(req), writeOptions(req, true))),
  );
  for (const action of ['start', 'stop'] as const) {
    app.post(
      `${E}/experiment/${action}`,
      {
        schema: {
          ...tags,
          ...ifMatch,
          ...flag,
          summary: `${action === 'start' ? 'Start' : 'Stop'} the experiment now (or at "at")`,
          body: ExperimentWindow.nullish(),
        },
      },
      async (req) =>
        flagView(
          await vexil.experiments[action](target(req), { ...writeOptions(req, true), at: req.body?.at }),
        ),
    );
  }
}
