import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fastPathAnswers } from '../../src/http/ofrep-fast-path.js';
import { type ListeningServer, listeningServer } from '../delivery/listening-server.js';
import { createBannerAndSplit } from '../helpers/ofrep-flags.js';

/** One request to `POST /ofrep/v1/evaluate/flags/{flag}`, as the tests vary it. */
interface Call {
  readonly flag: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Headers that depend on the transport (real socket vs inject), not on the answer. */
const TRANSPORT = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function normalized(headers: Record<string, string>, given: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (TRANSPORT.has(name)) continue;
    // A generated request id (none given, or an unusable one) differs between two requests;
    // it must be a UUID on both paths.
    out[name] = name === 'x-request-id' && value !== given && UUID.test(value) ? '<uuid>' : value;
  }
  return out;
}

describe('the OFREP single-flag fast path', () => {
  let s: ListeningServer;
  let keys: Record<string, string>;
  beforeAll(async () => {
    s = await listeningServer('sqlite', {
      seed: async ({ vexil }) => {
        await createBannerAndSplit(vexil);
        await vexil.flags.create('shop', 'server-only', { type: 'boolean', enabled: true });
        await vexil.flags.create('shop', 'json.v2', {
          type: 'json',
          clientVisible: true,
          variants: { on: { colour: 'blue', sizes: [1, 2] }, off: null },
          enabled: true,
        });
      },
    });
    const revoked = await s.vexil.keys.create({ kind: 'server', project: 'shop', environment: 'production' });
    await s.vexil.keys.revoke(revoked.key.id);
    keys = {
      server: s.serverKey,
      client: s.clientKey,
      admin: s.admin,
      revoked: revoked.secret,
      unknown: 'vx_server_this-key-does-not-exist-anywhere',
    };
  });
  afterAll(async () => {
    await s?.dispose();
  });

  /** Over a socket (the fast path, when it applies). */
  async function overHttp(call: Call): Promise<Answer> {
    const response = await fetch(`${s.url}/ofrep/v1/evaluate/flags/${call.flag}`, {
      method: 'POST',
      headers: call.headers,
      // Bytes, not a string: fetch would add `content-type: text/plain` to a string body.
      body: new TextEncoder().encode(call.body),
    });
    return {
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: await response.text(),
    };
  }

  /** Through fastify's route, hooks and error handler (inject never meets the fast path). */
  async function throughFastify(call: Call): Promise<Answer> {
    const response = await s.app.inject({
      method: 'POST',
      url: `/ofrep/v1/evaluate/flags/${call.flag}`,
      headers: call.headers,
      payload: call.body,
    });
    return {
      status: response.statusCode,
      headers: Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, String(v)])),
      body: response.body,
    };
  }

  async function sameAnswer(call: Call): Promise<void> {
    const fast = await overHttp(call);
    const route = await throughFastify(call);
    const given = call.headers['x-request-id'];
    expect({ ...fast, headers: normalized(fast.headers, given) }, JSON.stringify(call)).toEqual({
      ...route,
      headers: normalized(route.headers, given),
    });
  }

  const json = { 'content-type': 'application/json' };
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  it('answers evaluations, unknown flags and bad contexts exactly as the route does', async () => {
    const before = fastPathAnswers(s.app.server);
    const bodies = [
      JSON.stringify({ context: { targetingKey: 'user-1', country: 'US' } }),
      JSON.stringify({ context: {} }),
      JSON.stringify({ context: { targetingKey: 'ünïcødé ✓' } }),
      JSON.stringify({ context: { targetingKey: 7 } }),
      JSON.stringify({ context: [] }),
      JSON.stringify({}),
      '{"context": {"targetingKey": "a\\"b"}}',
      '{"context":',
      '{"__proto__":{"context":{}}}',
      '   ',
      `{"context":{"deep":${'['.repeat(70)}${']'.repeat(70)}}}`,
    ];
    for (const key of [keys.server!, keys.client!])
      for (const flag of ['banner', 'split', 'server-only', 'json.v2', 'nope'])
        for (const body of bodies) await sameAnswer({ flag, headers: { ...json, ...bearer(key) }, body });
    expect(fastPathAnswers(s.app.server) - before).toBeGreaterThan(100);
  });

  it('answers requests the fast path leaves to fastify, and odd ones, the same', async () => {
    const body = JSON.stringify({ context: { targetingKey: 'user-1' } });
    const calls: Call[] = [
      { flag: 'banner', headers: { ...json }, body },
      { flag: 'banner', headers: { ...json, ...bearer(keys.admin!) }, body },
      { flag: 'banner', headers: { ...json, ...bearer(keys.revoked!) }, body },
      { flag: 'banner', headers: { ...json, ...bearer(keys.unknown!) }, body },
      { flag: 'banner', headers: { ...json, 'x-api-key': keys.client! }, body },
      { flag: 'banner', headers: { ...json, 'x-api-key': keys.client!, ...bearer(keys.client!) }, body },
      { flag: 'banner', headers: { ...json, 'x-api-key': keys.client!, ...bearer(keys.server!) }, body },
      {
        flag: 'banner',
        headers: { ...bearer(keys.server!), 'content-type': 'application/json; charset=utf-8' },
        body,
      },
      { flag: 'banner', headers: { ...bearer(keys.server!), 'content-type': 'text/plain' }, body },
      { flag: 'banner', headers: { ...bearer(keys.server!) }, body },
      { flag: 'banner', headers: { ...json, ...bearer(keys.server!), 'x-request-id': 'req-42.a:b' }, body },
      {
        flag: 'banner',
        headers: { ...json, ...bearer(keys.server!), 'x-request-id': 'not a valid id!' },
        body,
      },
      { flag: 'banner', headers: { ...json, ...bearer(keys.server!) }, body: '' },
      { flag: 'ban%6Eer', headers: { ...json, ...bearer(keys.server!) }, body },
      { flag: 'banner?x=1', headers: { ...json, ...bearer(keys.server!) }, body },
      { flag: '-dash', headers: { ...json, ...bearer(keys.server!) }, body },
      { flag: 'x'.repeat(101), headers: { ...json, ...bearer(keys.server!) }, body },
    ];
    for (const call of calls) await sameAnswer(call);
  });

  it('answers any mix of key, flag, headers and body as the route does', async () => {
    const context = fc.dictionary(
      fc.constantFrom('targetingKey', 'country', 'plan', 'seats', 'email'),
      fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null)),
    );
    const body = fc.oneof(
      context.map((c) => JSON.stringify({ context: c })),
      fc.json(),
      fc.string(),
      context.map((c) => JSON.stringify({ context: c }).slice(0, -1)),
    );
    const call = fc.record({
      flag: fc.constantFrom('banner', 'split', 'server-only', 'json.v2', 'nope'),
      key: fc.constantFrom('server', 'client', 'admin', 'revoked', 'unknown'),
      header: fc.constantFrom('bearer', 'x-api-key', 'both'),
      requestId: fc.option(fc.constantFrom('abc-123', 'bad id'), { nil: undefined }),
      body,
    });
    await fc.assert(
      fc.asyncProperty(call, async (c) => {
        const key = keys[c.key]!;
        const headers: Record<string, string> = { ...json };
        if (c.header !== 'x-api-key') headers.authorization = `Bearer ${key}`;
        if (c.header !== 'bearer') headers['x-api-key'] = key;
        if (c.requestId !== undefined) headers['x-request-id'] = c.requestId;
        await sameAnswer({ flag: c.flag, headers, body: c.body });
      }),
      { numRuns: 150 },
    );
  });

  it('counts its answers in the request metrics under the route', async () => {
    const counts = async () =>
      (await s.delivery.metrics.httpRequests.get()).values
        .filter((v) => v.labels.route === '/ofrep/v1/evaluate/flags/:key' && v.labels.status === 200)
        .reduce((sum, v) => sum + v.value, 0);
    const before = await counts();
    const answered = fastPathAnswers(s.app.server);
    for (let i = 0; i < 5; i++) {
      await overHttp({
        flag: 'banner',
        headers: { ...json, ...bearer(keys.server!) },
        body: JSON.stringify({ context: { targetingKey: `u${i}` } }),
      });
    }
    expect(fastPathAnswers(s.app.server) - answered).toBe(5);
    expect((await counts()) - before).toBe(5);
  });
});

describe('the OFREP fast path on a server that logs every request', () => {
  it('leaves the requests to fastify, which logs them', async () => {
    const { Writable } = await import('node:stream');
    const { createServer } = await import('../../src/http/create-server.js');
    const { newTestVexil } = await import('../helpers/vexil.js');
    const t = await newTestVexil();
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(
          ...String(chunk)
            .split('\n')
            .filter((l) => l !== ''),
        );
        done();
      },
    });
    const app = await createServer({ vexil: t.vexil, logger: { level: 'info', stream } });
    try {
      await t.vexil.flags.create('shop', 'banner', { type: 'boolean', enabled: true });
      const { secret } = await t.vexil.keys.create({
        kind: 'server',
        project: 'shop',
        environment: 'production',
      });
      await app.delivery.start();
      await app.listen({ port: 0, host: '127.0.0.1' });
      const address = app.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`http://127.0.0.1:${port}/ofrep/v1/evaluate/flags/banner`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
          body: JSON.stringify({ context: { targetingKey: 'u1' } }),
        });
        expect(response.status).toBe(200);
        await response.text();
      }
      expect(fastPathAnswers(app.server)).toBe(0);
      const completed = lines
        .map((l) => JSON.parse(l) as { msg?: string })
        .filter((l) => l.msg === 'request completed');
      expect(completed.length).toBeGreaterThanOrEqual(3);
    } finally {
      await app.close();
      await t.dispose();
    }
  });
});
