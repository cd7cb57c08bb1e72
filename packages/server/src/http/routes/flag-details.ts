import { FlagSchema, JsonValueSchema } from '@vexil/core';
import { z } from 'zod';
import { flagVersionView, flagView } from '../../services/views.js';
import { paged, writeOptions } from '../request-helpers.js';
import {
  FlagParams,
  FlagResponse,
  MergePatch,
  Metadata,
  PageQuery,
  pageOf,
  Rollback,
  VariantParams,
  VariantValue,
  VersionParams,
} from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';

const FlagVersion = z.object({
  key: z.string(),
  project: z.string(),
  version: z.int(),
  action: z.string(),
  actor: z.string(),
  at: z.string(),
  flag: FlagSchema,
});
const FlagMeta = z.object({
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

/** A flag's metadata, history, rollback and variants. */
export function flagDetailRoutes(app: App, { vexil }: RouteContext): void {
  app.get(
    `${F}/:flag/meta`,
    {
      schema: {
        ...tags,
        summary: 'System fields and metadata of a flag',
        params: FlagParams,
        response: { 200: FlagMeta },
      },
    },
    (req) => vexil.flags.getMeta(req.params.project, req.params.flag),
  );
  app.get(
    `${F}/:flag/metadata`,
    { schema: { ...tags, summary: 'Get flag metadata', params: FlagParams, response: { 200: Metadata } } },
    (req) => vexil.flags.getMetadata(req.params.project, req.params.flag),
  );
  app.put(
    `${F}/:flag/metadata`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Replace flag metadata',
        params: FlagParams,
        body: Metadata,
        response: { 200: Metadata },
      },
    },
    async (req) =>
      (await vexil.flags.setMetadata(req.params.project, req.params.flag, req.body, writeOptions(req, true)))
        .definition.metadata ?? {},
  );
  app.patch(
    `${F}/:flag/metadata`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Merge into flag metadata (null removes a key)',
        params: FlagParams,
        body: MergePatch,
        response: { 200: Metadata },
      },
    },
    async (req) =>
      (
        await vexil.flags.mergeMetadata(
          req.params.project,
          req.params.flag,
          req.body,
          writeOptions(req, true),
        )
      ).definition.metadata ?? {},
  );

  app.get(
    `${F}/:flag/versions`,
    {
      schema: {
        ...tags,
        summary: 'The history of a flag, newest first',
        params: FlagParams,
        querystring: PageQuery,
        response: { 200: pageOf(FlagVersion) },
      },
    },
    async (req) =>
      paged(
        await vexil.flags.history(req.params.project, req.params.flag, req.query),
        req.query,
        flagVersionView,
      ),
  );
  app.get(
    `${F}/:flag/versions/:version`,
    {
      schema: {
        ...tags,
        summary: 'One version of a flag',
        params: VersionParams,
        response: { 200: FlagVersion },
      },
    },
    async (req) =>
      flagVersionView(await vexil.flags.getVersion(req.params.project, req.params.flag, req.params.version)),
  );
  app.post(
    `${F}/:flag/rollback`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Make an earlier version current again (as a new version)',
        params: FlagParams,
        body: Rollback,
        response: { 200: FlagResponse },
      },
    },
    async (req) =>
      flagView(
        await vexil.flags.rollback(
          req.params.project,
          req.params.flag,
          req.body.version,
          writeOptions(req, true),
        ),
      ),
  );

  app.get(
    `${F}/:flag/variants`,
    {
      schema: {
        ...tags,
        summary: 'A flag’s variants',
        params: FlagParams,
        response: { 200: z.record(z.string(), JsonValueSchema) },
      },
    },
    (req) => vexil.variants.list(req.params.project, req.params.flag),
  );
  app.put(
    `${F}/:flag/variants/:variant`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Add or change a variant',
        params: VariantParams,
        body: VariantValue,
        response: { 200: FlagResponse },
      },
    },
    async (req) =>
      flagView(
        await vexil.variants.set(
          req.params.project,
          req.params.flag,
          req.params.variant,
          req.body.value,
          writeOptions(req, true),
        ),
      ),
  );
  app.delete(
    `${F}/:flag/variants/:variant`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Remove a variant nothing serves',
        params: VariantParams,
        response: { 200: FlagResponse },
      },
    },
    async (req) =>
      flagView(
        await vexil.variants.remove(
          req.params.project,
          req.params.flag,
          req.params.variant,
          writeOptions(req, true),
        ),
      ),
  );
}
