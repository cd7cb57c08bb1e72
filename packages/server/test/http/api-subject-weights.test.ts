import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type TestServer } from '../helpers/server.js';

const W = '/api/v1/projects/shop/subject-weights';

describe('the subject weights API', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await newTestServer();
  });
  afterAll(async () => {
    await s.dispose();
  });

  it('creates a table with PUT (201), replaces it (200) and reads it back with its ETag', async () => {
    const created = await s.call('PUT', `${W}/accounts`, {
      body: { description: 'Seats', weights: { acme: 50, globex: 10 } },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      key: 'accounts',
      project: 'shop',
      description: 'Seats',
      weights: { acme: 50, globex: 10 },
      subjects: 2,
      totalWeight: 60,
      version: 1,
    });
    // What a GET returns may be sent back as is (the server's fields are ignored).
    const got = await s.call('GET', `${W}/accounts`);
    expect(got.headers.etag).toBe('"1"');
    const replaced = await s.call('PUT', `${W}/accounts`, {
      body: { ...(got.json() as object), weights: { acme: 50, globex: 20 } },
      headers: { 'if-match': '"1"' },
    });
    expect(replaced.statusCode).toBe(200);
    expect(replaced.json()).toMatchObject({ version: 2, totalWeight: 70 });
    const stale = await s.call('PUT', `${W}/accounts`, {
      body: { weights: {} },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.statusCode).toBe(412);
    const cached = await s.call('GET', `${W}/accounts`, { headers: { 'if-none-match': '"2"' } });
    expect(cached.statusCode).toBe(304);
  });

  it('lists tables without their subjects', async () => {
    await s.call('PUT', `${W}/tenants`, { body: { weights: { t1: 1, t2: 2, t3: 3 } } });
    const list = await s.call('GET', `${W}?limit=10`);
    expect(list.statusCode).toBe(200);
    const body = list.json() as { items: Record<string, unknown>[]; total: number };
    expect(body.total).toBe(2);
    expect(body.items.map((i) => [i.key, i.subjects, i.totalWeight])).toEqual([
      ['accounts', 2, 70],
      ['tenants', 3, 6],
    ]);
    expect(body.items[0]).not.toHaveProperty('weights');
    expect((await s.call('GET', `${W}?text=seat`)).json().items.map((i: { key: string }) => i.key)).toEqual([
      'accounts',
    ]);
  });

  it('patches subjects with a JSON merge patch', async () => {
    const patched = await s.call('PATCH', `${W}/tenants`, { body: { weights: { t1: null, t4: 4 } } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ version: 2, weights: { t2: 2, t3: 3, t4: 4 }, subjects: 3 });
  });

  it('answers 400 with the path of each bad weight, and 404 for an unknown table or project', async () => {
    const bad = await s.call('PUT', `${W}/accounts`, { body: { weights: { acme: -1 } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues).toEqual([
      {
        path: 'weights.acme',
        message: 'a subject weight must be a whole number ≥ 1 (scale fractional sizes: cents, thousands)',
      },
    ]);
    const patch = await s.call('PATCH', `${W}/accounts`, { body: { weights: { acme: 0 } } });
    expect(patch.statusCode).toBe(400);
    expect(patch.json().error.issues[0].path).toBe('weights.acme');
    expect((await s.call('GET', `${W}/nope`)).statusCode).toBe(404);
    expect((await s.call('GET', '/api/v1/projects/nope/subject-weights')).statusCode).toBe(404);
  });

  it('refuses to delete a table a flag uses (409), then deletes it (204)', async () => {
    await s.call('POST', '/api/v1/projects/shop/flags', {
      body: {
        key: 'billing',
        type: 'boolean',
        defaultServe: { rollout: { variants: { on: 30000, off: 70000 }, weightedBy: 'accounts' } },
      },
    });
    const refused = await s.call('DELETE', `${W}/accounts`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'IN_USE', details: { flags: ['billing'] } });
    await s.call('DELETE', '/api/v1/projects/shop/flags/billing');
    expect((await s.call('DELETE', `${W}/accounts`)).statusCode).toBe(204);
    expect((await s.call('GET', `${W}/accounts`)).statusCode).toBe(404);
  });

  it('creates only with If-None-Match: * (412 when the table exists), replaces only with If-Match', async () => {
    const only = { 'if-none-match': '*' };
    const created = await s.call('PUT', `${W}/regions`, { body: { weights: { eu: 3 } }, headers: only });
    expect(created.statusCode).toBe(201);
    const again = await s.call('PUT', `${W}/regions`, { body: { weights: { us: 9 } }, headers: only });
    expect(again.statusCode).toBe(412);
    expect(again.json().error).toMatchObject({
      code: 'VERSION_CONFLICT',
      message: 'weight table "regions" already exists (version 1): load it to change it',
    });
    expect((await s.call('GET', `${W}/regions`)).json().weights).toEqual({ eu: 3 });
    // If-Match on a table that doesn't exist is false (RFC 9110 §13.1.1): 412, nothing created.
    for (const tag of ['"1"', '*']) {
      const missing = await s.call('PUT', `${W}/nothing-yet`, {
        body: { weights: { a: 1 } },
        headers: { 'if-match': tag },
      });
      expect(missing.statusCode).toBe(412);
      expect(missing.json().error.code).toBe('VERSION_CONFLICT');
      expect(missing.json().error.message).toContain('does not exist');
    }
    expect((await s.call('GET', `${W}/nothing-yet`)).statusCode).toBe(404);
    const any = await s.call('PUT', `${W}/regions`, {
      body: { weights: { eu: 4 } },
      headers: { 'if-match': '*' },
    });
    expect(any.statusCode).toBe(200);
    expect(any.json()).toMatchObject({ version: 2, weights: { eu: 4 } });
  });

  it('refuses If-None-Match with a tag, or with If-Match, at headers.if-none-match', async () => {
    for (const headers of [{ 'if-none-match': '"1"' }, { 'if-none-match': '*', 'if-match': '"1"' }]) {
      const bad = await s.call('PUT', `${W}/odd`, { body: { weights: { a: 1 } }, headers });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.issues.map((i: { path: string }) => i.path)).toEqual(['headers.if-none-match']);
    }
    expect((await s.call('GET', `${W}/odd`)).statusCode).toBe(404);
  });

  it('reports a bad table key at params.table', async () => {
    const bad = await s.call('PUT', `${W}/${encodeURIComponent('-no good')}`, {
      body: { weights: { a: 1 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(bad.json().error.issues).toEqual([
      {
        path: 'params.table',
        message: 'invalid key "-no good": use 1–128 of A–Z a–z 0–9 . _ - starting with a letter or digit',
      },
    ]);
  });

  it('takes a table larger than the usual 1 MiB body limit', async () => {
    const weights: Record<string, number> = {};
    for (let i = 0; i < 60_000; i++) weights[`account-${i.toString().padStart(6, '0')}`] = 1 + (i % 997);
    const payload = JSON.stringify({ weights });
    expect(payload.length).toBeGreaterThan(1024 * 1024);
    const put = await s.call('PUT', `${W}/big`, { payload, headers: { 'content-type': 'application/json' } });
    expect(put.statusCode).toBe(201);
    expect(put.json()).toMatchObject({ subjects: 60_000 });
  });

  it('describes the routes and the table format in the OpenAPI document', async () => {
    const doc = (await s.call('GET', '/openapi.json', { key: null })).json() as {
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, unknown> };
    };
    expect(Object.keys(doc.paths['/api/v1/projects/{project}/subject-weights'] ?? {})).toEqual(['get']);
    expect(Object.keys(doc.paths['/api/v1/projects/{project}/subject-weights/{table}'] ?? {}).sort()).toEqual(
      ['delete', 'get', 'patch', 'put'],
    );
    expect(doc.components.schemas).toHaveProperty('WeightTable');
    const put = JSON.stringify(doc.paths['/api/v1/projects/{project}/subject-weights/{table}']?.put);
    expect(put).toContain('if-none-match');
    expect(put).toContain('If-None-Match: *');
    const del = JSON.stringify(doc.paths['/api/v1/projects/{project}/subject-weights/{table}']?.delete);
    expect(del).toContain('error.details.flags');
    expect(JSON.stringify(doc.components.schemas.Rollout)).toContain('weightedBy');
    expect(JSON.stringify(doc.components.schemas.FlagSet)).toContain('subjectWeights');
  });
});
