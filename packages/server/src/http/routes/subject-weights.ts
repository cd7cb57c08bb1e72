import { z } from 'zod';
import { weightTableSummary, weightTableView } from '../../services/views.js';
import { paged, putOptions, withETag, writeOptions } from '../request-helpers.js';
import {
  MergePatch,
  ProjectParams,
  pageOf,
  TextPageQuery,
  WeightTableParams,
  WeightTablePutParams,
  WeightTableReplace,
  WeightTableResponse,
  WeightTableSummaryResponse,
} from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';
import { IMPORT_BODY_LIMIT } from './io.js';

const W = `${API}/projects/:project/subject-weights`;
const tags = { tags: ['subject weights'] };
const ifMatch = { headers: z.looseObject({ 'if-match': z.string().optional() }) };
const putHeaders = {
  headers: z.looseObject({
    'if-match': z
      .string()
      .optional()
      .describe('`"<version>"` (the ETag): replace only that version; `*`: replace only. Else 412'),
    'if-none-match': z.string().optional().describe('`*`: create only; 412 when the table exists'),
  }),
};
/** A table may list many thousands of subjects: as large a body as an import. */
const big = { bodyLimit: IMPORT_BODY_LIMIT };

/** Subject weight tables: accounts and their weights, for rollouts and experiments with `weightedBy`. */
export function subjectWeightRoutes(app: App, { vexil }: RouteContext): void {
  app.get(
    W,
    {
      schema: {
        ...tags,
        summary: 'List weight tables (without their subjects)',
        params: ProjectParams,
        querystring: TextPageQuery,
        response: { 200: pageOf(WeightTableSummaryResponse) },
      },
    },
    async (req) =>
      paged(await vexil.subjectWeights.list(req.params.project, req.query), req.query, weightTableSummary),
  );
  app.get(
    `${W}/:table`,
    {
      schema: {
        ...tags,
        summary: 'Get a weight table with its subjects (ETag: its version)',
        params: WeightTableParams,
        response: { 200: WeightTableResponse },
      },
    },
    async (req, reply) => {
      const table = await vexil.subjectWeights.get(req.params.project, req.params.table);
      return withETag(req, reply, table.version, weightTableView(table));
    },
  );
  app.put(
    `${W}/:table`,
    {
      ...big,
      schema: {
        ...tags,
        ...putHeaders,
        summary: 'Create or replace a weight table (201 when created)',
        description:
          'Without a precondition, creates the table or replaces it. `If-None-Match: *` only creates: ' +
          'a table that exists answers 412. `If-Match: "<version>"` only replaces that version, and ' +
          '`If-Match: *` any version: a stale version or a missing table answers 412 ' +
          '(`VERSION_CONFLICT`). A bad table key answers 400 at `params.table`.',
        params: WeightTablePutParams,
        body: WeightTableReplace,
        response: { 200: WeightTableResponse, 201: WeightTableResponse },
      },
    },
    async (req, reply) => {
      const { description, weights } = req.body;
      const { table, created } = await vexil.subjectWeights.put(
        req.params.project,
        req.params.table,
        description === undefined ? { weights } : { description, weights },
        putOptions(req),
      );
      return reply.status(created ? 201 : 200).send(weightTableView(table));
    },
  );
  app.patch(
    `${W}/:table`,
    {
      ...big,
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Change some subjects (JSON merge patch: `{ "weights": { "acme": 60, "globex": null } }`)',
        params: WeightTableParams,
        body: MergePatch,
        response: { 200: WeightTableResponse },
      },
    },
    async (req) =>
      weightTableView(
        await vexil.subjectWeights.patch(
          req.params.project,
          req.params.table,
          req.body,
          writeOptions(req, true),
        ),
      ),
  );
  app.delete(
    `${W}/:table`,
    {
      schema: {
        ...tags,
        ...ifMatch,
        summary: 'Delete a weight table no flag uses',
        description:
          'A table a flag uses (live or archived) answers 409 `IN_USE`, with the flags in ' +
          '`error.details.flags`.',
        params: WeightTableParams,
      },
    },
    async (req, reply) => {
      await vexil.subjectWeights.delete(req.params.project, req.params.table, writeOptions(req, true));
      return reply.status(204).send();
    },
  );
}
