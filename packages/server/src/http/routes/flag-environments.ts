import { EnvironmentConfigSchema, RuleSchema } from '@vexil/core';
import { z } from 'zod';
import { flagView } from '../../services/views.js';
import { writeOptions } from '../request-helpers.js';
import {
  EnvironmentConfigPatch,
  FlagEnvParams,
  FlagResponse,
  OverrideParams,
  OverrideSet,
  PrerequisitesSet,
  RuleAdd,
  RuleMove,
  RuleParams,
  TargetsAdd,
  TargetsRemove,
} from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';

const E = `${API}/projects/:project/flags/:flag/environments/:environment`;
const tags = { tags: ['flag settings per environment'] };
const ifMatch = { headers: z.looseObject({ 'if-match': z.string().optional() }) };

function target(req: { params: z.infer<typeof FlagEnvParams> }) {
  return { project: req.params.project, environment: req.params.environment, flag: req.params.flag };
}

/** A flag in one environment: on/off, settings, rules, targets, overrides and prerequisites. */
export function flagEnvironmentRoutes(app: App, { vexil }: RouteContext): void {
  const flag = { params: FlagEnvParams, response: { 200: FlagResponse } };
  app.get(
    E,
    {
      schema: {
        ...tags,
        summary: 'The environment’s own settings of a flag',
        params: FlagEnvParams,
        response: { 200: EnvironmentConfigSchema },
      },
    },
    (req) => vexil.flags.getEnvironment(req.params.project, req.params.environment, req.params.flag),
  );
  app.put(
    E,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        summary: 'Replace the environment’s settings',
        body: EnvironmentConfigSchema,
      },
    },
    async (req) =>
      flagView(
        await vexil.flags.setEnvironment(
          req.params.project,
          req.params.environment,
          req.params.flag,
          req.body,
          writeOptions(req, true),
        ),
      ),
  );
  app.patch(
    E,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        summary: 'Change the environment’s settings (JSON merge patch)',
        body: EnvironmentConfigPatch,
      },
    },
    async (req) =>
      flagView(
        await vexil.flags.patchEnvironment(
          req.params.project,
          req.params.environment,
          req.params.flag,
          req.body,
          writeOptions(req, true),
        ),
      ),
  );
  for (const action of ['enable', 'disable'] as const) {
    app.post(
      `${E}/${action}`,
      {
        schema: {
          ...tags,
          ...ifMatch,
          ...flag,
          summary: `${action === 'enable' ? 'Turn on' : 'Turn off'} a flag in the environment`,
        },
      },
      async (req) =>
        flagView(
          await vexil.flags[action](
            req.params.project,
            req.params.environment,
            req.params.flag,
            writeOptions(req, true),
          ),
        ),
    );
  }

  app.get(
    `${E}/rules`,
    {
      schema: {
        ...tags,
        summary: 'The rules in force',
        params: FlagEnvParams,
        response: { 200: z.object({ items: z.array(RuleSchema) }) },
      },
    },
    async (req) => ({
      items: await vexil.rules.list(target(req)),
    }),
  );
  app.post(
    `${E}/rules`,
    {
      schema: { ...tags, ...ifMatch, ...flag, summary: 'Add a rule (at index, default last)', body: RuleAdd },
    },
    async (req) =>
      flagView(
        await vexil.rules.add(target(req), req.body.rule, {
          ...writeOptions(req, true),
          index: req.body.index,
        }),
      ),
  );
  app.put(
    `${E}/rules/:rule`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        params: RuleParams,
        summary: 'Replace a rule',
        body: RuleSchema,
      },
    },
    async (req) =>
      flagView(await vexil.rules.update(target(req), req.params.rule, req.body, writeOptions(req, true))),
  );
  app.delete(
    `${E}/rules/:rule`,
    { schema: { ...tags, ...ifMatch, ...flag, params: RuleParams, summary: 'Remove a rule' } },
    async (req) => flagView(await vexil.rules.remove(target(req), req.params.rule, writeOptions(req, true))),
  );
  app.post(
    `${E}/rules/:rule/move`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        params: RuleParams,
        summary: 'Move a rule in the order',
        body: RuleMove,
      },
    },
    async (req) =>
      flagView(await vexil.rules.move(target(req), req.params.rule, req.body.index, writeOptions(req, true))),
  );

  app.post(
    `${E}/targets`,
    { schema: { ...tags, ...ifMatch, ...flag, summary: 'Serve a variant to these keys', body: TargetsAdd } },
    async (req) =>
      flagView(
        await vexil.targeting.addTargets(
          target(req),
          req.body.variant,
          req.body.keys,
          writeOptions(req, true),
        ),
      ),
  );
  app.post(
    `${E}/targets/remove`,
    { schema: { ...tags, ...ifMatch, ...flag, summary: 'Stop targeting these keys', body: TargetsRemove } },
    async (req) =>
      flagView(await vexil.targeting.removeTargets(target(req), req.body.keys, writeOptions(req, true))),
  );
  app.put(
    `${E}/overrides/:segment`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        params: OverrideParams,
        summary: 'Serve a variant to a segment',
        body: OverrideSet,
      },
    },
    async (req) =>
      flagView(
        await vexil.targeting.setOverride(
          target(req),
          req.params.segment,
          req.body.variant,
          writeOptions(req, true),
        ),
      ),
  );
  app.delete(
    `${E}/overrides/:segment`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...flag,
        params: OverrideParams,
        summary: 'Remove a segment’s override',
      },
    },
    async (req) =>
      flagView(
        await vexil.targeting.removeOverride(target(req), req.params.segment, writeOptions(req, true)),
      ),
  );
  app.put(
    `${E}/prerequisites`,
    {
      schema: { ...tags, ...ifMatch, ...flag, summary: 'Replace the prerequisites', body: PrerequisitesSet },
    },
    async (req) =>
      flagView(
        await vexil.targeting.setPrerequisites(target(req), req.body.prerequisites, writeOptions(req, true)),
      ),
  );
}
