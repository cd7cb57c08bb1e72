import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamTokens } from '../../src/delivery/streams/stream-tokens.js';
import { bearer, type ListeningServer, listeningServer } from './listening-server.js';
import { SseClient } from './sse-client.js';

// Details of docs/protocol.md that SDKs in other languages rely on, and that the route
// suites don't check.
describe('the wire details docs/protocol.md states', () => {
  let s: ListeningServer;
  const open: SseClient[] = [];
  beforeAll(async () => {
    s = await listeningServer('sqlite', {
      heartbeatMs: 100,
      seed: async ({ vexil }) => {
        await vexil.flags.create('shop', 'banner', { type: 'boolean', clientVisible: true, enabled: true });
        for (let i = 0; i < 20; i++)
          await vexil.flags.create('shop', `filler-${i}`, {
            type: 'string',
            variants: { x: 'x'.repeat(80) },
          });
      },
    });
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await s?.dispose();
  });

  const snapshot = (headers: Record<string, string> = {}, query = '') =>
    fetch(`${s.url}/api/v1/sdk/snapshot${query}`, { headers: { ...bearer(s.serverKey), ...headers } });
  async function stream(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.open(`${s.url}${url}`, headers);
    open.push(client);
    return client;
  }

  it('tells caches to revalidate the snapshot, per encoding and key, and answers If-None-Match: * with 304', async () => {
    const response = await snapshot();
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('vary')).toBe('Accept-Encoding, Authorization');
    const any = await snapshot({ 'if-none-match': '*' });
    expect(any.status).toBe(304);
    expect(any.headers.get('x-vexil-version')).toBe(response.headers.get('x-vexil-version'));
  });

  it('signs the snapshot body byte for byte, and never compresses the envelope', async () => {
    const body = await (await snapshot({ 'accept-encoding': 'identity' })).text();
    const signed = await snapshot({ 'accept-encoding': 'br, gzip' }, '?signed=true');
    expect(signed.headers.get('content-encoding')).toBeNull();
    const envelope = (await signed.json()) as { payload: string };
    expect(envelope.payload).toBe(body);
    expect(signed.headers.get('x-vexil-version')).toBe(String(JSON.parse(body).version));
  });

  it('lets anyone cache the public signing keys for five minutes', async () => {
    const response = await fetch(`${s.url}/api/v1/sdk/signing-keys`);
    expect(response.headers.get('cache-control')).toBe('public, max-age=300');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('names the request in X-Request-Id on both kinds of stream, as on every answer', async () => {
    const sdk = await stream('/api/v1/sdk/stream', {
      ...bearer(s.serverKey),
      'x-request-id': 'sdk-stream-1',
    });
    expect(sdk.headers.get('x-request-id')).toBe('sdk-stream-1');
    const bulk = (await (
      await fetch(`${s.url}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { ...bearer(s.clientKey), 'content-type': 'application/json' },
        body: '{"context":{}}',
      })
    ).json()) as { eventStreams: { endpoint: { requestUri: string } }[] };
    const ofrep = await stream(bulk.eventStreams[0]!.endpoint.requestUri, {
      'x-request-id': 'ofrep-stream-1',
    });
    expect(ofrep.headers.get('x-request-id')).toBe('ofrep-stream-1');
    expect(ofrep.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await ofrep.until(
      () => ofrep.retries.length > 0 && ofrep.comments.includes('heartbeat'),
      'retry and a heartbeat',
    );
    expect(ofrep.retries[0]).toBe(2000);
    sdk.close();
    ofrep.close();
  });

  it('ends an OFREP change stream once its token expires', async () => {
    const key = (await s.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'production' }))
      .key;
    const shortLived = new StreamTokens(s.delivery.signingKeys, 1500).issue(key.id);
    const events = await stream(`/ofrep/v1/events?token=${shortLived}`);
    expect(events.status).toBe(200);
    await events.closed();
    expect((await fetch(`${s.url}/ofrep/v1/events?token=${shortLived}`)).status).toBe(401);
  });

  it('refuses an events body that is not JSON: 415 for a type it does not read, 400 for text', async () => {
    const send = (type: string) =>
      fetch(`${s.url}/api/v1/events`, {
        method: 'POST',
        headers: { ...bearer(s.serverKey), 'content-type': type },
        body: 'hello',
      });
    const xml = await send('application/xml');
    expect(xml.status).toBe(415);
    expect(((await xml.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const text = await send('text/plain');
    expect(text.status).toBe(400);
    expect(((await text.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
  });
});

describe('a server that is shutting down', () => {
  it('answers a new stream with 503 and Retry-After: 2', async () => {
    const s = await listeningServer('sqlite');
    try {
      s.delivery.shutdown();
      const response = await fetch(`${s.url}/api/v1/sdk/stream`, { headers: bearer(s.serverKey) });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('STORE_UNAVAILABLE');
    } finally {
      await s.dispose();
    }
  });
});
