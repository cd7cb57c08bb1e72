import { FlagSchema } from '@vexil/core';
import { z } from 'zod';
import { flagView } from '../../services/views.js';
import { paged, withETag, writeOptions } from '../request-helpers.js';
import {
  FlagCreate,
  FlagListQuery,
  FlagParams,
  FlagReplace,
  FlagResponse,
  MergePatch,
  Metadata,
  ProjectParams,
  pageOf,
} from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';

const _FlagVersion = z.object({
  key: z.string(),
  project: z.string(),
  version: z.int(),
  action: z.string(),
  actor: z.string(),
  at: z.string(),
  flag: FlagSchema,
});
const _FlagMeta = z.object({
  version: z.int(),
  archived: z.boolean(),
  createdAt: z.string(),
  createdBy: z.string(),
  updatedAt: z.string(),
  updatedBy: z.string(),
  metadata: Metadata,
});
const tags = { tags: ['flags'] };
const ifMatch = {
  headers: z.looseObject({
    'if-match': z.string().optional().describe('the version you read (ETag); a stale one gets 412'),
  }),
};
const F = `${API}/projects/:project/flags`;

/** Flags: create, read, replace, patch, delete, archive and restore. */
export function flagRoutes(app: App, { vexil }: RouteContext): void {
  app.get(
    F,
    {
      schema: {
        ...tags,
        summary: 'List flags (filter by tag, text, archived)',
        params: ProjectParams,
        querystring: FlagListQuery,
        response: { 200: pageOf(FlagResponse) },
      },
    },
    async (req) => paged(await vexil.flags.list(req.params.project, req.query), req.query, flagView),
  );
  app.post(
    F,
    {
      schema: {
        ...tags,
        summary: 'Create a flag',
        params: ProjectParams,
        body: FlagCreate,
        response: { 201: FlagResponse },
      },
    },
    async (req, reply) => {
      const { key, ...definition } = req.body;
      const flag = await vexil.flags.create(req.params.project, key, definition, writeOptions(req));
      return reply.status(201).header('etag', `"${flag.version}"`).send(flagView(flag));
    },
  );
  app.get(
    `${F}/:flag`,
    {
      schema: {
        ...tags,
        summary: 'Get a flag (ETag: its version)',
        params: FlagParams,
        response: { 200: FlagResponse },
      },
    },
    async (req, reply) => {
      const flag = await vexil.flags.get(req.params.project, req.params.flag);
      return withETag(req, reply, flag.version, flagView(flag));
    },
  );
  app.put(
    `${F}/:flag`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Replace a flag (If-Match: the version you read)',
        params: FlagParams,
        body: FlagReplace,
        response: { 200: FlagResponse },
      },
    },
    async (req, reply) => {
      const { key: _key, project: _project, createdBy: _c, updatedBy: _u, ...definition } = req.body;
      const flag = await vexil.flags.replace(
        req.params.project,
        req.params.flag,
        definition,
        writeOptions(req, true),
      );
      return reply.header('etag', `"${flag.version}"`).send(flagView(flag));
    },
  );
  app.patch(
    `${F}/:flag`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Change a flag with a JSON merge patch (null removes a field)',
        params: FlagParams,
        body: MergePatch,
        response: { 200: FlagResponse },
      },
    },
    async (req, reply) => {
      const flag = await vexil.flags.patch(
        req.params.project,
        req.params.flag,
        req.body,
        writeOptions(req, true),
      );
      return reply.header('etag', `"${flag.version}"`).send(flagView(flag));
    },
  );
  app.delete(
    `${F}/:flag`,
    { schema: { ...tags, ...ifMatch, summary: 'Delete a flag and its history', params: FlagParams } },
    async (req, reply) => {
      await vexil.flags.delete(req.params.project, req.params.flag, writeOptions(req, true));
      return reply.status(204).send();
    },
  );
  for (const action of ['archive', 'restore'] as const) {
    app.post(
      `${F}/:flag/${action}`,
      {
        schema: {
          ...tags,
          ...ifMatch,
          summary: action === 'archive' ? 'Archive a flag (SDKs stop seeing it)' : 'Restore an archived flag',
          params: FlagParams,
          response: { 200: FlagResponse },
        },
      },
      async (req) =>
        flagView(await vexil.flags[action](req.params.project, req.params.flag, writeOptions(req, true))),
    );
  }
}
