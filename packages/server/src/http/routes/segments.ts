import { ExperimentSchema, FlagSetSchema } from '@vexil/core';
import { z } from 'zod';
import { segmentView } from '../../services/views.js';
import { paged, withETag, writeOptions } from '../request-helpers.js';
import {
  EnvironmentParams,
  MergePatch,
  PageQuery,
  ProjectParams,
  pageOf,
  ScopeQuery,
  SegmentCreate,
  SegmentKeys,
  SegmentParams,
  SegmentReplace,
  SegmentResponse,
  TextPageQuery,
} from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';

const S = `${API}/projects/:project/segments`;
const tags = { tags: ['segments'] };
const ifMatch = { headers: z.looseObject({ 'if-match': z.string().optional() }) };
const Change = z.object({
  project: z.string(),
  environment: z.string(),
  version: z.int(),
  previousVersion: z.int(),
  action: z.string(),
  flags: z.array(z.string()),
  segments: z.array(z.string()),
  at: z.string(),
});
const ChangesQuery = PageQuery.pick({ limit: true }).extend({
  after: z.coerce.number().int().min(0).default(0),
});

/** Segments, experiments across a project, and what SDKs of an environment get. */
export function segmentRoutes(app: App, { vexil }: RouteContext): void {
  const one = { params: SegmentParams, response: { 200: SegmentResponse } };
  app.get(
    S,
    {
      schema: {
        ...tags,
        summary: 'List segments',
        params: ProjectParams,
        querystring: TextPageQuery,
        response: { 200: pageOf(SegmentResponse) },
      },
    },
    async (req) => paged(await vexil.segments.list(req.params.project, req.query), req.query, segmentView),
  );
  app.post(
    S,
    {
      schema: {
        ...tags,
        summary: 'Create a segment',
        params: ProjectParams,
        body: SegmentCreate,
        response: { 201: SegmentResponse },
      },
    },
    async (req, reply) => {
      const { key, ...definition } = req.body;
      return reply
        .status(201)
        .send(
          segmentView(await vexil.segments.create(req.params.project, key, definition, writeOptions(req))),
        );
    },
  );
  app.get(
    `${S}/:segment`,
    { schema: { ...tags, ...one, summary: 'Get a segment (ETag: its version)' } },
    async (req, reply) => {
      const segment = await vexil.segments.get(req.params.project, req.params.segment);
      return withETag(req, reply, segment.version, segmentView(segment));
    },
  );
  app.put(
    `${S}/:segment`,
    { schema: { ...tags, ...ifMatch, ...one, summary: 'Replace a segment', body: SegmentReplace } },
    async (req) => {
      const {
        key: _k,
        project: _p,
        version: _v,
        createdAt: _ca,
        updatedAt: _ua,
        createdBy: _cb,
        updatedBy: _ub,
        ...definition
      } = req.body;
      return segmentView(
        await vexil.segments.replace(
          req.params.project,
          req.params.segment,
          definition,
          writeOptions(req, true),
        ),
      );
    },
  );
  app.patch(
    `${S}/:segment`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        ...one,
        summary: 'Change a segment (JSON merge patch)',
        body: MergePatch,
      },
    },
    async (req) =>
      segmentView(
        await vexil.segments.patch(req.params.project, req.params.segment, req.body, writeOptions(req, true)),
      ),
  );
  app.delete(
    `${S}/:segment`,
    { schema: { ...tags, ...ifMatch, summary: 'Delete a segment nothing uses', params: SegmentParams } },
    async (req, reply) => {
      await vexil.segments.delete(req.params.project, req.params.segment, writeOptions(req, true));
      return reply.status(204).send();
    },
  );
  for (const action of ['include', 'exclude'] as const) {
    app.post(
      `${S}/:segment/${action}`,
      {
        schema: {
          ...tags,
          ...ifMatch,
          ...one,
          summary: `${action === 'include' ? 'Include' : 'Exclude'} targeting keys`,
          body: SegmentKeys,
        },
      },
      async (req) =>
        segmentView(
          await vexil.segments[action](
            req.params.project,
            req.params.segment,
            req.body.keys,
            writeOptions(req, true),
          ),
        ),
    );
  }

  app.get(
    `${API}/projects/:project/experiments`,
    {
      schema: {
        tags: ['experiments'],
        summary: 'Every experiment of a project',
        params: ProjectParams,
        querystring: z.strictObject({ environment: z.string().optional() }),
        response: {
          200: z.object({
            items: z.array(
              z.object({
                project: z.string(),
                environment: z.string(),
                flag: z.string(),
                experiment: ExperimentSchema,
                status: z.string(),
              }),
            ),
          }),
        },
      },
    },
    async (req) => ({ items: await vexil.experiments.list(req.params.project, req.query) }),
  );

  const env = `${API}/projects/:project/environments/:environment`;
  app.get(
    `${env}/flag-set`,
    {
      schema: {
        tags: ['environments'],
        summary: 'The flag set SDKs of this environment get (a preview)',
        params: EnvironmentParams,
        querystring: ScopeQuery,
        response: { 200: FlagSetSchema },
      },
    },
    (req) => vexil.flagSets.build(req.params.project, req.params.environment, req.query.scope),
  );
  app.get(
    `${env}/changes`,
    {
      schema: {
        tags: ['environments'],
        summary: 'The environment’s change log after a version',
        params: EnvironmentParams,
        querystring: ChangesQuery,
        response: { 200: z.object({ items: z.array(Change) }) },
      },
    },
    async (req) => {
      await vexil.environments.get(req.params.project, req.params.environment);
      const changes = await vexil.flagSets.changesSince(
        req.params.project,
        req.params.environment,
        req.query.after,
        req.query.limit ?? 100,
      );
      return { items: changes.map((c) => ({ ...c, flags: [...c.flags], segments: [...c.segments] })) };
    },
  );
}
