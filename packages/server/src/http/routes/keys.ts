import { z } from 'zod';
import { API_KEY_KINDS } from '../../stores/types.js';
import { actorOf } from '../access.js';
import { paged, writeOptions } from '../request-helpers.js';
import { AuditQuery, KeyCreate, KeyListQuery, KeyParams, KeyRename, KeyRotate, pageOf } from '../schemas.js';
import { API, type App, type RouteContext } from './app-type.js';

const ApiKey = z.object({
  id: z.string(),
  kind: z.enum(API_KEY_KINDS),
  project: z.string().nullable(),
  environment: z.string().nullable(),
  name: z.string(),
  hint: z.string(),
  createdAt: z.string(),
  createdBy: z.string(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  replacedBy: z.string().nullable(),
  status: z.enum(['active', 'revoked', 'expired']),
});
const Created = z.object({ key: ApiKey, secret: z.string().describe('shown this once; store it now') });
const AuditEntry = z.object({
  id: z.int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  resourceType: z.string(),
  project: z.string().nullable(),
  environment: z.string().nullable(),
  resourceKey: z.string(),
  version: z.int().nullable(),
  before: z.unknown(),
  after: z.unknown(),
  comment: z.string().nullable(),
});
const tags = { tags: ['API keys'] };
const K = `${API}/keys`;

/** API keys and the audit log. */
export function keyRoutes(app: App, { vexil }: RouteContext): void {
  app.get(
    K,
    {
      schema: {
        ...tags,
        summary: 'List keys (active ones unless includeInactive)',
        querystring: KeyListQuery,
        response: { 200: pageOf(ApiKey) },
      },
    },
    async (req) => paged(await vexil.keys.list(req.query), req.query, (k) => k),
  );
  app.post(
    K,
    {
      schema: {
        ...tags,
        summary: 'Create a key; the secret is in this response only',
        body: KeyCreate,
        response: { 201: Created },
      },
    },
    async (req, reply) => reply.status(201).send(await vexil.keys.create(req.body, writeOptions(req))),
  );
  app.get(
    `${K}/self`,
    {
      config: { access: 'any' },
      schema: {
        ...tags,
        summary: 'The key this request uses (any kind of key)',
        response: { 200: ApiKey.extend({ actor: z.string() }) },
      },
    },
    async (req) => ({ ...(await vexil.keys.get(req.apiKey!.id)), actor: actorOf(req) }),
  );
  app.get(
    `${K}/:id`,
    { schema: { ...tags, summary: 'Get a key', params: KeyParams, response: { 200: ApiKey } } },
    (req) => vexil.keys.get(req.params.id),
  );
  app.patch(
    `${K}/:id`,
    {
      schema: {
        ...tags,
        summary: 'Rename a key',
        params: KeyParams,
        body: KeyRename,
        response: { 200: ApiKey },
      },
    },
    (req) => vexil.keys.rename(req.params.id, req.body.name, writeOptions(req)),
  );
  app.delete(
    `${K}/:id`,
    { schema: { ...tags, summary: 'Revoke a key at once', params: KeyParams, response: { 200: ApiKey } } },
    (req) => vexil.keys.revoke(req.params.id, writeOptions(req)),
  );
  app.post(
    `${K}/:id/rotate`,
    {
      schema: {
        ...tags,
        summary: 'Replace a key; the old one works for the grace period',
        params: KeyParams,
        body: KeyRotate.nullish(),
        response: { 201: Created.extend({ previous: ApiKey }) },
      },
    },
    async (req, reply) =>
      reply.status(201).send(
        await vexil.keys.rotate(req.params.id, {
          ...writeOptions(req),
          gracePeriodSeconds: req.body?.gracePeriodSeconds,
        }),
      ),
  );

  app.get(
    `${API}/audit`,
    {
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first',
        querystring: AuditQuery,
        response: { 200: pageOf(AuditEntry) },
      },
    },
    async (req) => paged(await vexil.audit.list(req.query), req.query, (e) => e),
  );
}
