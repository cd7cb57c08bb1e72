import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestServer, type TestServer } from '../helpers/server.js';

describe('admin API: projects, segments, keys, import and export', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await newTestServer();
  });
  afterEach(async () => {
    await s.dispose();
  });

  it('creates projects with environments and manages them', async () => {
    const created = await s.call('POST', '/api/v1/projects', { body: { key: 'blog', name: 'Blog' } });
    expect(created.statusCode).toBe(201);
    const envs = (await s.call('GET', '/api/v1/projects/blog/environments')).json();
    expect(envs.items.map((e: { key: string }) => e.key)).toEqual(['development', 'production']);
    expect(
      (await s.call('POST', '/api/v1/projects/blog/environments', { body: { key: 'qa' } })).statusCode,
    ).toBe(201);
    expect((await s.call('POST', '/api/v1/projects', { body: { key: 'blog' } })).statusCode).toBe(409);
    expect(
      (await s.call('PATCH', '/api/v1/projects/blog/metadata', { body: { owner: 'me' } })).json(),
    ).toEqual({ owner: 'me' });
    expect((await s.call('DELETE', '/api/v1/projects/blog/environments/qa')).statusCode).toBe(204);
    expect((await s.call('DELETE', '/api/v1/projects/blog')).statusCode).toBe(204);
    expect((await s.call('GET', '/api/v1/projects/blog')).statusCode).toBe(404);
  });

  it('manages segments and refuses to delete one in use with 409', async () => {
    const S = '/api/v1/projects/shop/segments';
    expect((await s.call('POST', S, { body: { key: 'beta', included: ['u1'] } })).statusCode).toBe(201);
    await s.call('POST', '/api/v1/projects/shop/flags', {
      body: { key: 'f', type: 'boolean', overrides: [{ segment: 'beta', variant: 'on' }] },
    });
    const inUse = await s.call('DELETE', `${S}/beta`);
    expect(inUse.statusCode).toBe(409);
    expect(inUse.json().error.code).toBe('IN_USE');
    const included = await s.call('POST', `${S}/beta/include`, { body: { keys: ['u2'] } });
    expect(included.json()).toMatchObject({ included: ['u1', 'u2'], version: 2 });
    const stale = await s.call('PATCH', `${S}/beta`, {
      body: { description: 'x' },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);
  });

  it('creates a key once with its secret, rotates it with overlap, and revokes it', async () => {
    const created = await s.call('POST', '/api/v1/keys', {
      body: { kind: 'server', project: 'shop', environment: 'production', name: 'api' },
    });
    expect(created.statusCode).toBe(201);
    const { key, secret } = created.json();
    expect(secret).toMatch(/^vx_server_/);
    const listed = (await s.call('GET', '/api/v1/keys?kind=server')).json();
    expect(JSON.stringify(listed)).not.toContain(secret);
    expect(listed.items[0]).toMatchObject({ id: key.id, status: 'active' });
    const self = await s.call('GET', '/api/v1/keys/self', { key: secret });
    expect(self.json()).toMatchObject({ id: key.id, kind: 'server', environment: 'production' });
    const rotated = await s.call('POST', `/api/v1/keys/${key.id}/rotate`, {
      body: { gracePeriodSeconds: 300 },
    });
    expect(rotated.statusCode).toBe(201);
    expect((await s.call('GET', '/api/v1/keys/self', { key: secret })).statusCode).toBe(200);
    expect((await s.call('GET', '/api/v1/keys/self', { key: rotated.json().secret })).statusCode).toBe(200);
    expect((await s.call('DELETE', `/api/v1/keys/${key.id}`)).json().status).toBe('revoked');
    expect((await s.call('GET', '/api/v1/keys/self', { key: secret })).statusCode).toBe(401);
    const missingEnv = await s.call('POST', '/api/v1/keys', { body: { kind: 'client' } });
    expect(missingEnv.json().error.issues.map((i: { path: string }) => i.path)).toEqual([
      'project',
      'environment',
    ]);
  });

  it('imports YAML with a dry run first, then exports the project and one environment', async () => {
    const yaml = [
      'formatVersion: 1',
      'segments:',
      '  beta: { included: [u1] }',
      'flags:',
      '  checkout:',
      '    type: boolean',
      '    overrides: [{ segment: beta, variant: "on" }]',
      '    environments:',
      '      production: { enabled: true }',
    ].join('\n');
    const headers = { 'content-type': 'application/yaml' };
    const dry = await s.call('POST', '/api/v1/projects/shop/import?dryRun=true', { payload: yaml, headers });
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({
      dryRun: true,
      flags: { created: ['checkout'] },
      segments: { created: ['beta'] },
    });
    expect((await s.call('GET', '/api/v1/projects/shop/flags')).json().total).toBe(0);
    const applied = await s.call('POST', '/api/v1/projects/shop/import', { payload: yaml, headers });
    expect(applied.json()).toMatchObject({ dryRun: false, flags: { created: ['checkout'] } });
    const exported = (await s.call('GET', '/api/v1/projects/shop/export')).json();
    expect(exported.flags.checkout.environments).toEqual({ production: { enabled: true } });
    const env = (await s.call('GET', '/api/v1/projects/shop/export?environment=production')).json();
    expect(env).toMatchObject({ environment: 'production', flags: { checkout: { enabled: true } } });
    const json = await s.call('POST', '/api/v1/projects/shop/import?dryRun=true', { body: exported });
    expect(json.json().flags.unchanged).toEqual(['checkout']);
    const badYaml = await s.call('POST', '/api/v1/projects/shop/import', { payload: 'flags: [', headers });
    expect(badYaml.statusCode).toBe(400);
    expect(badYaml.json().error.issues[0].message).toMatch(/^invalid YAML/);
    const badSet = await s.call('POST', '/api/v1/projects/shop/import', {
      body: { flags: { x: { type: 'boolean', defaultServe: { variant: 'maybe' } } } },
    });
    expect(badSet.json().error.issues).toEqual([
      { path: 'flags.x.defaultServe.variant', message: 'unknown variant "maybe"; the flag has "on", "off"' },
    ]);
  });

  it('answers health, readiness, OpenAPI and the docs page without a key', async () => {
    expect((await s.call('GET', '/healthz', { key: null })).json()).toEqual({ status: 'ok' });
    expect((await s.call('GET', '/readyz', { key: null })).json()).toEqual({ status: 'ready' });
    const spec = await s.call('GET', '/openapi.json', { key: null });
    expect(spec.statusCode).toBe(200);
    const doc = spec.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/v1/projects/{project}/flags/{flag}');
    const create = doc.paths['/api/v1/projects/{project}/flags'].post;
    expect(create.requestBody.content['application/json'].schema.properties.rules).toBeDefined();
    expect(doc.components.schemas.JsonValueInput).toBeDefined();
    const refs = JSON.stringify(doc).match(/"\$ref":"([^"]+)"/g) ?? [];
    for (const ref of refs) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(name !== undefined && name in doc.components.schemas, ref).toBe(true);
    }
    const page = await s.call('GET', '/docs/', { key: null });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const external = page.body.match(/(src|href)="(https?:)?\/\/[^"]*"/g);
    expect(external).toBeNull();
    const init = await s.call('GET', '/docs/static/swagger-initializer.js', { key: null });
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain('validatorUrl: null');
  });

  it('refuses bodies nested too deeply, and HEAD requests without a key', async () => {
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    const response = await s.call('PUT', '/api/v1/projects/shop/metadata', {
      payload: `{"a":${deep}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.issues[0].message).toMatch(/nests deeper than/);
    expect((await s.call('HEAD', '/api/v1/projects', { key: null })).statusCode).toBe(401);
    expect((await s.call('HEAD', '/api/v1/projects')).statusCode).toBe(200);
  });

  it('says it is not ready when the store cannot be reached', async () => {
    await s.store.close();
    const response = await s.call('GET', '/readyz', { key: null });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ status: 'unavailable' });
    expect((await s.call('GET', '/healthz', { key: null })).statusCode).toBe(200);
  });

  it('tags every response with a request id, honouring one the caller sends', async () => {
    const mine = await s.call('GET', '/healthz', { headers: { 'x-request-id': 'req-123' } });
    expect(mine.headers['x-request-id']).toBe('req-123');
    const generated = await s.call('GET', '/healthz');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('names the person an admin key acts for in the audit log', async () => {
    await s.call('POST', '/api/v1/projects/shop/flags', {
      body: { key: 'f', type: 'boolean' },
      headers: { 'x-vexil-actor': 'alice@shop.test' },
    });
    const entry = (await s.call('GET', '/api/v1/audit?limit=1')).json().items[0];
    expect(entry.actor).toMatch(/^alice@shop.test via key_/);
  });
});

describe('a read-only server', () => {
  let s: TestServer;
  beforeEach(async () => {
    s = await newTestServer({ readOnly: true });
  });
  afterEach(async () => {
    await s.dispose();
  });

  it('switches the admin API off but keeps health and key checks', async () => {
    const response = await s.call('GET', '/api/v1/projects');
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('READ_ONLY');
    expect((await s.call('POST', '/api/v1/projects', { body: { key: 'x' } })).statusCode).toBe(403);
    expect((await s.call('GET', '/healthz', { key: null })).statusCode).toBe(200);
    expect((await s.call('GET', '/api/v1/keys/self')).statusCode).toBe(200);
  });
});
