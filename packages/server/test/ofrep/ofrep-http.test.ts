import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, type ListeningServer, listeningServer } from '../delivery/listening-server.js';
import { SseClient } from '../delivery/sse-client.js';
import { createBannerAndSplit } from '../helpers/ofrep-flags.js';
import { storeKinds } from '../helpers/vexil.js';

const kinds = await storeKinds();

interface Bulk {
  flags: { key: string; value?: unknown; reason?: string; variant?: string; errorCode?: string }[];
  metadata: { version: number };
  eventStreams: { type: string; endpoint: { requestUri: string }; inactivityDelaySec: number }[];
}

describe.each(kinds)('OFREP over HTTP, as its OpenAPI document says, on %s', (kind) => {
  let s: ListeningServer;
  const streams: SseClient[] = [];
  beforeAll(async () => {
    s = await listeningServer(kind, {
      heartbeatMs: 100,
      seed: async ({ vexil }) => {
        await createBannerAndSplit(vexil);
        await vexil.flags.create('shop', 'no-off-variant', {
          type: 'string',
          clientVisible: true,
          variants: { x: 'x' },
          enabled: false,
          defaultServe: { variant: 'x' },
        });
        await vexil.flags.create('shop', 'server-only', { type: 'boolean', enabled: true });
      },
    });
  });
  afterAll(async () => {
    for (const c of streams) c.close();
    await s?.dispose();
  });

  const post = (
    path: string,
    body: unknown,
    key: string | null = s.serverKey,
    headers: Record<string, string> = {},
  ) =>
    fetch(`${s.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key === null ? {} : bearer(key)), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const one = (key: string, body: unknown, apiKey?: string | null) =>
    post(`/ofrep/v1/evaluate/flags/${key}`, body, apiKey);
  const bulk = (body: unknown, apiKey?: string | null, headers?: Record<string, string>, query = '') =>
    post(`/ofrep/v1/evaluate/flags${query}`, body, apiKey, headers);
  const version = async () => (await s.vexil.environments.get('shop', 'production')).version;
  async function change(flag: string, on: boolean): Promise<number> {
    await s.adminCall(
      'POST',
      `/api/v1/projects/shop/flags/${flag}/environments/production/${on ? 'enable' : 'disable'}`,
    );
    const v = await version();
    await s.delivery.snapshots.waitForVersion('shop', 'production', v, 10_000);
    return v;
  }

  it('answers a single evaluation with key, value, variant and reason', async () => {
    const response = await one('banner', { context: { targetingKey: 'u1' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ key: 'banner', value: true, variant: 'on', reason: 'STATIC' });
  });

  it('answers 404 with FLAG_NOT_FOUND for an unknown flag, and for a flag the client key may not see', async () => {
    const response = await one('nope', { context: { targetingKey: 'u1' } });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ key: 'nope', errorCode: 'FLAG_NOT_FOUND' });
    const hidden = await one('server-only', { context: {} }, s.clientKey);
    expect(hidden.status).toBe(404);
    expect(await hidden.json()).toMatchObject({ key: 'server-only', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('answers 400 with INVALID_CONTEXT or PARSE_ERROR, naming the flag, for a bad request', async () => {
    for (const body of [{ context: { targetingKey: 42 } }, { context: [] }, {}, { context: 'x' }]) {
      const response = await one('banner', body);
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ key: 'banner', errorCode: 'INVALID_CONTEXT' });
    }
    const broken = await one('banner', '{"context": ');
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ key: 'banner', errorCode: 'PARSE_ERROR' });
    const bulkBad = await bulk({ context: { targetingKey: ['x'] } });
    expect(bulkBad.status).toBe(400);
    const body = (await bulkBad.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
    expect(body.key).toBeUndefined();
  });

  it('answers 400 TARGETING_KEY_MISSING for a split without a targeting key, and evaluates what needs none', async () => {
    const response = await one('split', { context: {} });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ key: 'split', errorCode: 'TARGETING_KEY_MISSING' });
    expect((await one('banner', { context: {} })).status).toBe(200);
  });

  it('leaves the value out when a flag serves no variant (use the code default)', async () => {
    const response = await one('no-off-variant', { context: { targetingKey: 'u1' } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({ key: 'no-off-variant', reason: 'DISABLED' });
  });

  it('answers 401 and 403 without a body', async () => {
    for (const [key, status] of [
      [null, 401],
      ['vx_server_neverIssuedByThisServer000', 401],
      [s.admin, 403],
    ] as const) {
      for (const response of [await one('banner', { context: {} }, key), await bulk({ context: {} }, key)]) {
        expect(response.status).toBe(status);
        expect(await response.text()).toBe('');
      }
    }
  });

  it('evaluates every flag in bulk, with partial failures as entries, metadata and an event stream', async () => {
    const response = await bulk({ context: {} }, s.clientKey);
    expect(response.status).toBe(200);
    const body = (await response.json()) as Bulk;
    expect(body.flags.map((f) => f.key).sort()).toEqual(['banner', 'no-off-variant', 'split']);
    expect(body.flags.find((f) => f.key === 'split')).toMatchObject({ errorCode: 'TARGETING_KEY_MISSING' });
    expect(body.flags.find((f) => f.key === 'banner')).toMatchObject({ value: true, reason: 'STATIC' });
    expect(body.metadata.version).toBe(await version());
    expect(body.eventStreams).toHaveLength(1);
    expect(body.eventStreams[0]).toMatchObject({ type: 'sse', inactivityDelaySec: 120 });
    expect(body.eventStreams[0]!.endpoint.requestUri).toMatch(/^\/ofrep\/v1\/events\?token=/);
    expect(response.headers.get('etag')).toMatch(/^".+"$/);
  });

  it('answers 304 to If-None-Match until something changes, per context', async () => {
    const first = await bulk({ context: { targetingKey: 'u1' } });
    const etag = first.headers.get('etag')!;
    const again = await bulk({ context: { targetingKey: 'u1' } }, s.serverKey, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const other = await bulk({ context: { targetingKey: 'u2' } }, s.serverKey, { 'if-none-match': etag });
    expect(other.status).toBe(200);
    await change('banner', false);
    const changed = await bulk({ context: { targetingKey: 'u1' } }, s.serverKey, { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(((await changed.json()) as Bulk).flags.find((f) => f.key === 'banner')).toMatchObject({
      value: false,
      reason: 'DISABLED',
    });
    await change('banner', true);
  });

  it('notifies the event stream with refetchEvaluation on every change the key can see', async () => {
    const { eventStreams } = (await (await bulk({ context: {} }, s.clientKey)).json()) as Bulk;
    const events = await SseClient.open(`${s.url}${eventStreams[0]!.endpoint.requestUri}`);
    streams.push(events);
    expect(events.status).toBe(200);
    expect(events.headers.get('access-control-allow-origin')).toBe('*');
    await events.until(() => events.comments.includes('heartbeat'), 'a heartbeat comment');
    await change('server-only', false); // invisible to a client key: no notification
    const v = await change('banner', false);
    await events.until((e) => e.some((x) => x.event === 'message'), 'a notification');
    const messages = events.events.filter((e) => e.event === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.id).toBe(String(v));
    expect(JSON.parse(messages[0]!.data)).toMatchObject({ type: 'refetchEvaluation', etag: `"client-${v}"` });
    expect(typeof JSON.parse(messages[0]!.data).lastModified).toBe('number');
    // The refetch the notification asks for, with its flagConfigEtag.
    const refetch = await bulk(
      { context: {} },
      s.clientKey,
      {},
      `?flagConfigEtag=${encodeURIComponent(`"client-${v}"`)}`,
    );
    expect(((await refetch.json()) as Bulk).metadata.version).toBe(v);
    await change('banner', true);
    await change('server-only', true);
  });

  it('sends a refetch on reconnect when the client missed changes', async () => {
    const { eventStreams } = (await (await bulk({ context: {} }, s.clientKey)).json()) as Bulk;
    const before = await version();
    await change('banner', false);
    const events = await SseClient.open(`${s.url}${eventStreams[0]!.endpoint.requestUri}`, {
      'last-event-id': String(before),
    });
    streams.push(events);
    await events.until((e) => e.some((x) => x.event === 'message'), 'the catch-up notification');
    await change('banner', true);
  });

  it('refuses a forged or unknown token with 401 and no body, and closes the stream when its key is revoked', async () => {
    const { eventStreams } = (await (await bulk({ context: {} }, s.serverKey)).json()) as Bulk;
    const uri = eventStreams[0]!.endpoint.requestUri;
    const forged = `${uri.slice(0, -3)}${uri.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const bad of [forged, '/ofrep/v1/events?token=abc.def.ghi', '/ofrep/v1/events?token=']) {
      const response = await fetch(`${s.url}${bad}`);
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
    const made = await s.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'production' });
    const own = (await (await bulk({ context: {} }, made.secret)).json()) as Bulk;
    const events = await SseClient.open(`${s.url}${own.eventStreams[0]!.endpoint.requestUri}`);
    streams.push(events);
    expect(events.status).toBe(200);
    await s.adminCall('DELETE', `/api/v1/keys/${made.key.id}`);
    await events.closed();
    expect((await fetch(`${s.url}${own.eventStreams[0]!.endpoint.requestUri}`)).status).toBe(401);
  });

  it('answers CORS preflights for browser providers', async () => {
    const response = await fetch(`${s.url}/ofrep/v1/evaluate/flags`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('access-control-allow-headers')).toContain('Authorization');
  });
});
