import type { Vexil } from '../../src/services/index.js';

/** A request that an admin key makes succeed on a route, against `seedProject`'s fixture. */
export interface RouteSample {
  readonly params?: Record<string, string>;
  readonly query?: string;
  readonly body?: unknown;
  /** The status an authorised caller gets. */
  readonly status: number;
  /** The route answers with a never-ending stream (Server-Sent Events): only its status is read. */
  readonly stream?: boolean;
  /** 401 and 403 come without a body (OFREP's rule). */
  readonly noErrorBody?: boolean;
}

const at = '2026-12-01T00:00:00Z';
const later = '2026-12-08T00:00:00Z';

/**
 * One sample per route ("METHOD url"). The auth matrix test fails when a route has no
 * sample here, so every new route joins the matrix.
 */
export const ROUTE_SAMPLES: Readonly<Record<string, RouteSample>> = {
  'GET /openapi.json': { status: 200 },
  'GET /healthz': { status: 200 },
  'GET /readyz': { status: 200 },
  'GET /api/v1/projects': { status: 200 },
  'POST /api/v1/projects': { body: { key: 'another' }, status: 201 },
  'GET /api/v1/projects/:project': { status: 200 },
  'PATCH /api/v1/projects/:project': { body: { name: 'Renamed' }, status: 200 },
  'DELETE /api/v1/projects/:project': { status: 204 },
  'GET /api/v1/projects/:project/metadata': { status: 200 },
  'PUT /api/v1/projects/:project/metadata': { body: { team: 'web' }, status: 200 },
  'PATCH /api/v1/projects/:project/metadata': { body: { team: null }, status: 200 },
  'GET /api/v1/projects/:project/environments': { status: 200 },
  'POST /api/v1/projects/:project/environments': { body: { key: 'qa' }, status: 201 },
  'GET /api/v1/projects/:project/environments/:environment': { status: 200 },
  'PATCH /api/v1/projects/:project/environments/:environment': { body: { name: 'Prod' }, status: 200 },
  'DELETE /api/v1/projects/:project/environments/:environment': { status: 204 },
  'GET /api/v1/projects/:project/flags': { query: 'tag=x&archived=false', status: 200 },
  'POST /api/v1/projects/:project/flags': { body: { key: 'new-flag', type: 'boolean' }, status: 201 },
  'GET /api/v1/projects/:project/flags/:flag': { status: 200 },
  'PUT /api/v1/projects/:project/flags/:flag': {
    params: { flag: 'spare' },
    body: { type: 'boolean' },
    status: 200,
  },
  'PATCH /api/v1/projects/:project/flags/:flag': { body: { description: 'x' }, status: 200 },
  'DELETE /api/v1/projects/:project/flags/:flag': { params: { flag: 'spare' }, status: 204 },
  'POST /api/v1/projects/:project/flags/:flag/archive': { status: 200 },
  'POST /api/v1/projects/:project/flags/:flag/restore': { status: 200 },
  'GET /api/v1/projects/:project/flags/:flag/meta': { status: 200 },
  'GET /api/v1/projects/:project/flags/:flag/metadata': { status: 200 },
  'PUT /api/v1/projects/:project/flags/:flag/metadata': { body: { ttl: 1 }, status: 200 },
  'PATCH /api/v1/projects/:project/flags/:flag/metadata': { body: { ttl: 2 }, status: 200 },
  'GET /api/v1/projects/:project/flags/:flag/versions': { status: 200 },
  'GET /api/v1/projects/:project/flags/:flag/versions/:version': { status: 200 },
  'POST /api/v1/projects/:project/flags/:flag/rollback': { body: { version: 1 }, status: 200 },
  'GET /api/v1/projects/:project/flags/:flag/variants': { status: 200 },
  'PUT /api/v1/projects/:project/flags/:flag/variants/:variant': {
    params: { flag: 'theme', variant: 'd' },
    body: { value: 'D' },
    status: 200,
  },
  'DELETE /api/v1/projects/:project/flags/:flag/variants/:variant': {
    params: { flag: 'theme', variant: 'c' },
    status: 200,
  },
  'GET /api/v1/projects/:project/flags/:flag/environments/:environment': { status: 200 },
  'PUT /api/v1/projects/:project/flags/:flag/environments/:environment': {
    body: { enabled: true },
    status: 200,
  },
  'PATCH /api/v1/projects/:project/flags/:flag/environments/:environment': {
    body: { enabled: false },
    status: 200,
  },
  'POST /api/v1/projects/:project/flags/:flag/environments/:environment/enable': { status: 200 },
  'POST /api/v1/projects/:project/flags/:flag/environments/:environment/disable': { status: 200 },
  'GET /api/v1/projects/:project/flags/:flag/environments/:environment/rules': { status: 200 },
  'POST /api/v1/projects/:project/flags/:flag/environments/:environment/rules': {
    body: { rule: { conditions: [], serve: { variant: 'on' } }, index: 0 },
    status: 200,
  },
  'PUT /api/v1/projects/:project/flags/:flag/environments/:environment/rules/:rule': {
    body: { conditions: [{ attribute: 'plan', op: 'eq', value: 'pro' }], serve: { variant: 'off' } },
    status: 200,
  },
  'DELETE /api/v1/projects/:project/flags/:flag/environments/:environment/rules/:rule': { status: 200 },
  'POST /api/v1/projects/:project/flags/:flag/environments/:environment/rules/:rule/move': {
    body: { index: 0 },
    status: 200,
  },
  'POST /api/v1/projects/:project/flags/:flag/environments/:environment/targets': {
    body: { variant: 'off', keys: ['u2'] },
    status: 200,
  },
  'POST /api/v1/projects/:project/flags/:flag/environments/:environment/targets/remove': {
    body: { keys: ['u1'] },
    status: 200,
  },
  'PUT /api/v1/projects/:project/flags/:flag/environments/:environment/overrides/:segment': {
    body: { variant: 'off' },
    status: 200,
  },
  'DELETE /api/v1/projects/:project/flags/:flag/environments/:environment/overrides/:segment': {
    status: 200,
  },
  'PUT /api/v1/projects/:project/flags/:flag/environments/:environment/prerequisites': {
    body: { prerequisites: [{ flag: 'theme', variants: ['a'] }] },
    status: 200,
  },
  'GET /api/v1/projects/:project/flags/:flag/environments/:environment/serve': {
    query: 'rule=r1',
    status: 200,
  },
  'PUT /api/v1/projects/:project/flags/:flag/environments/:environment/serve': {
    body: { variant: 'on' },
    status: 200,
  },
  'PUT /api/v1/projects/:project/flags/:flag/environments/:environment/serve/ramp': {
    body: { ramp: { start: at, end: later, to: { on: 100000, off: 0 } } },
    status: 200,
  },
  'DELETE /api/v1/projects/:project/flags/:flag/environments/:environment/serve/ramp': { status: 200 },
  'PUT /api/v1/projects/:project/flags/:flag/environments/:environment/serve/schedule': {
    body: { schedule: [{ at, variants: { on: 100000, off: 0 } }] },
    status: 200,
  },
  'DELETE /api/v1/projects/:project/flags/:flag/environments/:environment/serve/schedule': { status: 200 },
  'GET /api/v1/projects/:project/flags/:flag/environments/:environment/experiment': { status: 200 },
  'PUT /api/v1/projects/:project/flags/:flag/environments/:environment/experiment': {
    body: { key: 'exp-2', variants: { on: 50000, off: 50000 } },
    status: 200,
  },
  'DELETE /api/v1/projects/:project/flags/:flag/environments/:environment/experiment': { status: 200 },
  'POST /api/v1/projects/:project/flags/:flag/environments/:environment/experiment/start': { status: 200 },
  'POST /api/v1/projects/:project/flags/:flag/environments/:environment/experiment/stop': {
    body: { at: later },
    status: 200,
  },
  'GET /api/v1/projects/:project/segments': { status: 200 },
  'POST /api/v1/projects/:project/segments': { body: { key: 'vip', included: ['u9'] }, status: 201 },
  'GET /api/v1/projects/:project/segments/:segment': { status: 200 },
  'PUT /api/v1/projects/:project/segments/:segment': { body: { included: ['u3'] }, status: 200 },
  'PATCH /api/v1/projects/:project/segments/:segment': { body: { description: 'Beta' }, status: 200 },
  'DELETE /api/v1/projects/:project/segments/:segment': { params: { segment: 'spare' }, status: 204 },
  'POST /api/v1/projects/:project/segments/:segment/include': { body: { keys: ['u4'] }, status: 200 },
  'POST /api/v1/projects/:project/segments/:segment/exclude': { body: { keys: ['u1'] }, status: 200 },
  'GET /api/v1/projects/:project/subject-weights': { query: 'text=seat', status: 200 },
  'GET /api/v1/projects/:project/subject-weights/:table': { status: 200 },
  'PUT /api/v1/projects/:project/subject-weights/:table': {
    params: { table: 'tenants' },
    body: { weights: { t1: 3 } },
    status: 201,
  },
  'PATCH /api/v1/projects/:project/subject-weights/:table': { body: { weights: { u2: null } }, status: 200 },
  'DELETE /api/v1/projects/:project/subject-weights/:table': { params: { table: 'spare' }, status: 204 },
  'GET /api/v1/projects/:project/experiments': { status: 200 },
  'GET /api/v1/projects/:project/environments/:environment/flag-set': { query: 'scope=client', status: 200 },
  'GET /api/v1/projects/:project/environments/:environment/changes': { query: 'after=0', status: 200 },
  'GET /api/v1/keys': { status: 200 },
  'POST /api/v1/keys': { body: { kind: 'admin', name: 'another' }, status: 201 },
  'GET /api/v1/keys/self': { status: 200 },
  'GET /api/v1/keys/:id': { status: 200 },
  'PATCH /api/v1/keys/:id': { body: { name: 'renamed' }, status: 200 },
  'DELETE /api/v1/keys/:id': { status: 200 },
  'POST /api/v1/keys/:id/rotate': { body: { gracePeriodSeconds: 60 }, status: 201 },
  'GET /api/v1/audit': { query: 'resourceType=flag', status: 200 },
  'GET /api/v1/projects/:project/export': { query: 'environment=production', status: 200 },
  'GET /metrics': { status: 200 },
  'GET /api/v1/sdk/snapshot': { status: 200 },
  'GET /api/v1/sdk/stream': { status: 200, stream: true },
  'GET /api/v1/sdk/signing-keys': { status: 200 },
  'GET /api/v1/signing-keys': { status: 200 },
  'POST /api/v1/signing-keys/rotate': { status: 200 },
  // SDK keys are for shop/production, which has no flag `f`: the authorised answer is OFREP's 404.
  'POST /ofrep/v1/evaluate/flags/:key': {
    params: { key: 'f' },
    body: { context: { targetingKey: 'u1' } },
    status: 404,
    noErrorBody: true,
  },
  'POST /ofrep/v1/evaluate/flags': {
    body: { context: { targetingKey: 'u1' } },
    status: 200,
    noErrorBody: true,
  },
  // Public: the token in the URL is the credential, whatever the caller sends (this one is invalid).
  'GET /ofrep/v1/events': { query: 'token=not-a-token', status: 401, noErrorBody: true },
  'POST /api/v1/projects/:project/import': { query: 'dryRun=true', body: { flags: {} }, status: 200 },
  'POST /api/v1/events': {
    body: {
      batchId: 'matrix-batch',
      events: [{ kind: 'track', time: at, name: 'purchase', contextKey: 'u1' }],
    },
    status: 202,
  },
  'GET /api/v1/projects/:project/events/exposures': { query: 'environment=production&flag=f', status: 200 },
  'GET /api/v1/projects/:project/events/tracked': { query: 'name=purchase', status: 200 },
  'GET /api/v1/projects/:project/flags/:flag/environments/:environment/experiment/results': { status: 200 },
};

/**
 * A project with everything the samples touch: environments, flags `f` (rules, targets,
 * override, experiment, rollout), `theme` (a rollout weighted by `accounts`), `spare`,
 * segments `beta` and `spare`, weight tables `accounts` and `spare`, and a server key.
 * Returns the values of the routes' path parameters.
 */
export async function seedProject(vexil: Vexil, project: string): Promise<Record<string, string>> {
  await vexil.projects.create(project);
  await vexil.segments.create(project, 'beta', { included: ['u1'] });
  await vexil.segments.create(project, 'spare', { included: ['u2'] });
  await vexil.subjectWeights.put(project, 'accounts', { description: 'Seats', weights: { u1: 10, u2: 1 } });
  await vexil.subjectWeights.put(project, 'spare', { weights: { u3: 1 } });
  await vexil.flags.create(project, 'theme', {
    type: 'string',
    variants: { a: 'A', b: 'B', c: 'C' },
    defaultServe: { rollout: { variants: { a: 50000, b: 50000 }, weightedBy: 'accounts' } },
  });
  await vexil.flags.create(project, 'spare');
  await vexil.flags.create(project, 'f', {
    type: 'boolean',
    environments: {
      production: {
        enabled: true,
        targets: { on: ['u1'] },
        overrides: [{ segment: 'beta', variant: 'on' }],
        experiment: { key: 'exp', variants: { on: 50000, off: 50000 } },
        rules: [{ id: 'r1', conditions: [], serve: { variant: 'on' } }],
        defaultServe: { rollout: { variants: { on: 50000, off: 50000 } } },
      },
    },
  });
  const { key } = await vexil.keys.create({ kind: 'server', project, environment: 'production' });
  return {
    project,
    environment: 'production',
    flag: 'f',
    segment: 'beta',
    table: 'accounts',
    rule: 'r1',
    variant: 'c',
    version: '1',
    id: key.id,
  };
}
