import { z } from 'zod';
import type { EnvironmentRecord, ProjectRecord } from '../../stores/types.js';
import { paged, writeOptions } from '../request-helpers.js';
import {
  EnvironmentCreate,
  EnvironmentParams,
  EnvironmentUpdate,
  MergePatch,
  Metadata,
  ProjectCreate,
  ProjectParams,
  ProjectUpdate,
  pageOf,
  TextPageQuery,
} from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';

const Project = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string(),
  metadata: Metadata,
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  updatedBy: z.string(),
});
const Environment = z.object({
  project: z.string(),
  key: z.string(),
  name: z.string(),
  description: z.string(),
  position: z.int(),
  version: z.int().describe('version of the environment’s flag set'),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  updatedBy: z.string(),
});
const same = <T>(x: T): T => x;
const projects = { tags: ['projects'] };
const environments = { tags: ['environments'] };

/** Projects, their metadata, and their environments. */
export function projectRoutes(app: App, { vexil }: RouteContext): void {
  app.get(
    `${API}/projects`,
    {
      schema: {
        ...projects,
        summary: 'List projects',
        querystring: TextPageQuery,
        response: { 200: pageOf(Project) },
      },
    },
    async (req) => paged(await vexil.projects.list(req.query), req.query, same<ProjectRecord>),
  );
  app.post(
    `${API}/projects`,
    {
      schema: {
        ...projects,
        summary: 'Create a project (with development and production unless told otherwise)',
        body: ProjectCreate,
        response: { 201: Project },
      },
    },
    async (req, reply) => {
      const { key, ...input } = req.body;
      return reply.status(201).send(await vexil.projects.create(key, input, writeOptions(req)));
    },
  );
  app.get(
    `${API}/projects/:project`,
    { schema: { ...projects, summary: 'Get a project', params: ProjectParams, response: { 200: Project } } },
    (req) => vexil.projects.get(req.params.project),
  );
  app.patch(
    `${API}/projects/:project`,
    {
      schema: {
        ...projects,
        summary: 'Change name, description or metadata',
        params: ProjectParams,
        body: ProjectUpdate,
        response: { 200: Project },
      },
    },
    (req) => vexil.projects.update(req.params.project, req.body, writeOptions(req)),
  );
  app.delete(
    `${API}/projects/:project`,
    {
      schema: {
        ...projects,
        summary: 'Delete a project with everything in it (its keys are revoked)',
        params: ProjectParams,
      },
    },
    async (req, reply) => {
      await vexil.projects.delete(req.params.project, writeOptions(req));
      return reply.status(204).send();
    },
  );
  app.get(
    `${API}/projects/:project/metadata`,
    {
      schema: {
        ...projects,
        summary: 'Get project metadata',
        params: ProjectParams,
        response: { 200: Metadata },
      },
    },
    (req) => vexil.projects.getMetadata(req.params.project),
  );
  app.put(
    `${API}/projects/:project/metadata`,
    {
      schema: {
        ...projects,
        summary: 'Replace project metadata',
        params: ProjectParams,
        body: Metadata,
        response: { 200: Metadata },
      },
    },
    async (req) =>
      (await vexil.projects.setMetadata(req.params.project, req.body, writeOptions(req))).metadata,
  );
  app.patch(
    `${API}/projects/:project/metadata`,
    {
      schema: {
        ...projects,
        summary: 'Merge into project metadata (null removes a key)',
        params: ProjectParams,
        body: MergePatch,
        response: { 200: Metadata },
      },
    },
    async (req) =>
      (await vexil.projects.mergeMetadata(req.params.project, req.body, writeOptions(req))).metadata,
  );

  app.get(
    `${API}/projects/:project/environments`,
    {
      schema: {
        ...environments,
        summary: 'List environments',
        params: ProjectParams,
        response: { 200: z.object({ items: z.array(Environment) }) },
      },
    },
    async (req) => ({
      items: (await vexil.environments.list(req.params.project)).map(same<EnvironmentRecord>),
    }),
  );
  app.post(
    `${API}/projects/:project/environments`,
    {
      schema: {
        ...environments,
        summary: 'Create an environment',
        params: ProjectParams,
        body: EnvironmentCreate,
        response: { 201: Environment },
      },
    },
    async (req, reply) => {
      const { key, ...input } = req.body;
      return reply
        .status(201)
        .send(await vexil.environments.create(req.params.project, key, input, writeOptions(req)));
    },
  );
  app.get(
    `${API}/projects/:project/environments/:environment`,
    {
      schema: {
        ...environments,
        summary: 'Get an environment',
        params: EnvironmentParams,
        response: { 200: Environment },
      },
    },
    (req) => vexil.environments.get(req.params.project, req.params.environment),
  );
  app.patch(
    `${API}/projects/:project/environments/:environment`,
    {
      schema: {
        ...environments,
        summary: 'Change an environment',
        params: EnvironmentParams,
        body: EnvironmentUpdate,
        response: { 200: Environment },
      },
    },
    (req) =>
      vexil.environments.update(req.params.project, req.params.environment, req.body, writeOptions(req)),
  );
  app.delete(
    `${API}/projects/:project/environments/:environment`,
    {
      schema: {
        ...environments,
        summary: 'Delete an environment (its flag settings go, its keys are revoked)',
        params: EnvironmentParams,
      },
    },
    async (req, reply) => {
      await vexil.environments.delete(req.params.project, req.params.environment, writeOptions(req));
      return reply.status(204).send();
    },
  );
}
