import { FlagSetSchema } from '@vexil/core';
import { z } from 'zod';
import { writeOptions } from '../request-helpers.js';
import { ImportQuery, ProjectParams } from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';

const Diff = z.object({
  created: z.array(z.string()),
  updated: z.array(z.string()),
  unchanged: z.array(z.string()),
  deleted: z.array(z.string()),
});
const ImportResult = z.object({
  dryRun: z.boolean(),
  project: z.string(),
  environment: z.string().nullable(),
  mode: z.enum(['merge', 'replace']),
  flags: Diff,
  segments: Diff,
  subjectWeights: Diff,
});
const tags = { tags: ['import and export'] };
/** Imports may be larger than other requests. */
export const IMPORT_BODY_LIMIT = 16 * 1024 * 1024;

/** Export and import in the core's flag-set format (import also reads YAML). */
export function ioRoutes(app: App, { vexil }: RouteContext): void {
  app.get(
    `${API}/projects/:project/export`,
    {
      schema: {
        ...tags,
        summary: 'Export the project, or one environment as it sees its flags',
        params: ProjectParams,
        querystring: z.strictObject({ environment: z.string().optional() }),
        response: { 200: FlagSetSchema },
      },
    },
    (req) =>
      req.query.environment === undefined
        ? vexil.io.exportProject(req.params.project)
        : vexil.io.exportEnvironment(req.params.project, req.query.environment),
  );
  app.post(
    `${API}/projects/:project/import`,
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        ...tags,
        summary:
          'Import a flag set (JSON, or YAML with Content-Type: application/yaml); dryRun=true shows what would change',
        params: ProjectParams,
        querystring: ImportQuery,
        body: z.unknown().describe('a flag set (see the FlagSet schema)'),
        response: { 200: ImportResult },
      },
    },
    (req) => vexil.io.import(req.params.project, req.body, { ...req.query, ...writeOptions(req) }),
  );
}
