import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newTestServer, type TestServer } from '../helpers/server.js';

describe('admin API: flags', () => {
  let s: TestServer;
  const F = '/api/v1/projects/shop/flags';
  beforeEach(async () => {
    s = await newTestServer();
  });
  afterEach(async () => {
    await s.dispose();
  });

  it('creates a flag, reads it with an ETag, and answers 304 to a matching If-None-Match', async () => {
    const created = await s.call('POST', F, {
      body: { key: 'checkout', type: 'boolean', tags: ['payments'] },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      key: 'checkout',
      project: 'shop',
      type: 'boolean',
      version: 1,
      archived: false,
    });
    expect(created.json().createdBy).toMatch(/^key_[0-9a-f]+ \(test admin\)$/);
    const read = await s.call('GET', `${F}/checkout`);
    expect(read.statusCode).toBe(200);
    expect(read.headers.etag).toBe('"1"');
    const again = await s.call('GET', `${F}/checkout`, { headers: { 'if-none-match': '"1"' } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('refuses a stale If-Match with 412, so two admins never overwrite each other', async () => {
    await s.call('POST', F, { body: { key: 'f', type: 'boolean' } });
    const alice = await s.call('PATCH', `${F}/f`, {
      body: { description: 'alice' },
      headers: { 'if-match': '"1"' },
    });
    expect(alice.statusCode).toBe(200);
    expect(alice.headers.etag).toBe('"2"');
    const bob = await s.call('PATCH', `${F}/f`, {
      body: { description: 'bob' },
      headers: { 'if-match': '"1"' },
    });
    expect(bob.statusCode).toBe(412);
    expect(bob.json().error).toMatchObject({ code: 'VERSION_CONFLICT' });
    const enable = await s.call('POST', `${F}/f/environments/production/enable`, {
      headers: { 'if-match': 'W/"1"' },
    });
    expect(enable.statusCode).toBe(412);
    const bad = await s.call('PATCH', `${F}/f`, { body: {}, headers: { 'if-match': 'yesterday' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues[0].path).toBe('headers.if-match');
    expect((await s.call('GET', `${F}/f`)).json().description).toBe('alice');
  });

  it('names every bad field of an invalid body', async () => {
    const response = await s.call('POST', F, {
      body: {
        key: 'bad key',
        type: 'string',
        variants: { a: 'A' },
        rules: [{ conditions: [{ attribute: 'plan', op: 'equals', value: 'pro' }], serve: { variant: 'a' } }],
        colour: 'red',
      },
    });
    expect(response.statusCode).toBe(400);
    const { error } = response.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues.map((i: { path: string }) => i.path).sort()).toEqual([
      '',
      'key',
      'rules[0].conditions[0].op',
    ]);
    expect(error.issues.find((i: { path: string }) => i.path === '').message).toBe('unknown field "colour"');

    const crossRef = await s.call('POST', F, {
      body: {
        key: 'g',
        type: 'string',
        variants: { a: 'A' },
        defaultServe: { variant: 'b' },
        offVariant: 'c',
      },
    });
    expect(crossRef.statusCode).toBe(400);
    expect(
      crossRef
        .json()
        .error.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['defaultServe.variant', 'offVariant']);

    const query = await s.call('GET', `${F}?limit=0&archived=maybe`);
    expect(query.statusCode).toBe(400);
    expect(
      query
        .json()
        .error.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['query.archived', 'query.limit']);

    const malformed = await s.call('POST', F, {
      payload: '{"key": "x",',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('lists flags with paging and filters', async () => {
    for (const [key, tags] of [
      ['a', ['x']],
      ['b', ['x']],
      ['c', []],
    ] as const) {
      await s.call('POST', F, { body: { key, type: 'boolean', tags } });
    }
    await s.call('POST', `${F}/b/archive`);
    const page = (await s.call('GET', `${F}?limit=1&offset=1`)).json();
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ key: 'b', archived: true }] });
    const live = (await s.call('GET', `${F}?tag=x&archived=false`)).json();
    expect(live.items.map((f: { key: string }) => f.key)).toEqual(['a']);
    expect((await s.call('GET', `${F}?text=C`)).json().total).toBe(1);
  });

  it('switches a flag per environment and edits its rules, targets and rollout', async () => {
    await s.call('POST', F, { body: { key: 'f', type: 'boolean' } });
    const E = `${F}/f/environments/production`;
    expect((await s.call('POST', `${E}/enable`)).json().environments).toEqual({
      production: { enabled: true },
    });
    const rule = await s.call('POST', `${E}/rules`, {
      body: {
        rule: { conditions: [{ attribute: 'country', op: 'in', values: ['US'] }], serve: { variant: 'on' } },
      },
    });
    expect(rule.statusCode).toBe(200);
    expect((await s.call('GET', `${E}/rules`)).json().items[0].id).toBe('rule-1');
    await s.call('POST', `${E}/targets`, { body: { variant: 'off', keys: ['u1'] } });
    const serve = await s.call('PUT', `${E}/serve`, {
      body: { rollout: { variants: { on: 25000, off: 75000 } } },
    });
    expect(serve.statusCode).toBe(200);
    const set = (await s.call('GET', '/api/v1/projects/shop/environments/production/flag-set')).json();
    expect(set.flags.f).toMatchObject({
      enabled: true,
      targets: { off: ['u1'] },
      defaultServe: { rollout: { variants: { on: 25000 } } },
    });
    const badRamp = await s.call('PUT', `${E}/serve/ramp`, {
      body: { ramp: { start: 'soon', end: '2026-12-02T00:00:00Z', to: { on: 1 } } },
    });
    expect(badRamp.statusCode).toBe(400);
    expect(
      badRamp
        .json()
        .error.issues.map((i: { path: string }) => i.path)
        .sort(),
    ).toEqual(['ramp.start', 'ramp.to']);
    const missing = await s.call('POST', `${F}/f/environments/nowhere/enable`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error).toMatchObject({
      code: 'NOT_FOUND',
      message: 'environment "nowhere" not found',
    });
  });

  it('shows a flag history and rolls it back', async () => {
    await s.call('POST', F, { body: { key: 'f', type: 'boolean', description: 'one' } });
    await s.call('PATCH', `${F}/f`, { body: { description: 'two' } });
    const history = (await s.call('GET', `${F}/f/versions`)).json();
    expect(history.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect((await s.call('GET', `${F}/f/versions/1`)).json().flag.description).toBe('one');
    const back = await s.call('POST', `${F}/f/rollback`, { body: { version: 1 } });
    expect(back.json()).toMatchObject({ version: 3, description: 'one' });
    const audit = (await s.call('GET', '/api/v1/audit?resourceType=flag&resourceKey=f&limit=1')).json();
    expect(audit.items[0]).toMatchObject({
      action: 'flag.rollback',
      before: { description: 'two' },
      after: { description: 'one' },
    });
  });

  it('refuses a veto with 409 and the reason', async () => {
    s.vexil.events.before('flag.delete', () => ({ veto: 'flags are never deleted on Fridays' }));
    await s.call('POST', F, { body: { key: 'f', type: 'boolean' } });
    const response = await s.call('DELETE', `${F}/f`);
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      code: 'CHANGE_VETOED',
      message: expect.stringContaining('Fridays'),
    });
  });
});
