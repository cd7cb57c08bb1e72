import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type TestServer } from '../helpers/server.js';

// A browser SDK on another origin reads only answers that carry CORS headers: a 401 or a 429
// without them reaches the SDK as a network failure. Every answer of the routes browsers
// call carries them, errors included.
describe('CORS on the routes browsers call', () => {
  let s: TestServer;
  let clientKey = '';
  beforeAll(async () => {
    s = await newTestServer();
    clientKey = (await s.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'production' }))
      .secret;
  });
  afterAll(async () => {
    await s.dispose();
  });

  const origin = { origin: 'https://app.example' };
  const track = { batchId: 'cors-1', events: [{ kind: 'track', time: '2026-11-25T10:00:00Z', name: 'buy' }] };

  it('answers preflights for the SDK routes, OFREP and events', async () => {
    for (const url of [
      '/api/v1/sdk/snapshot',
      '/api/v1/sdk/stream',
      '/ofrep/v1/evaluate/flags',
      '/api/v1/events',
    ]) {
      const response = await s.app.inject({
        method: 'OPTIONS',
        url,
        headers: { ...origin, 'access-control-request-method': 'POST' },
      });
      expect(response.statusCode, url).toBe(204);
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-allow-methods']).toBe('GET, POST, OPTIONS');
      expect(response.headers['access-control-allow-headers']).toBe(
        'Authorization, Content-Type, If-None-Match, Last-Event-ID, Cache-Control, X-Request-Id, X-API-Key',
      );
      expect(response.headers['access-control-max-age']).toBe('86400');
    }
  });

  it('lets a browser read events answers: accepted, refused, and unauthenticated', async () => {
    const accepted = await s.call('POST', '/api/v1/events', { key: clientKey, headers: origin, body: track });
    const invalid = await s.call('POST', '/api/v1/events', { key: clientKey, headers: origin, body: {} });
    const anonymous = await s.call('POST', '/api/v1/events', { key: null, headers: origin, body: track });
    expect([accepted.statusCode, invalid.statusCode, anonymous.statusCode]).toEqual([202, 400, 401]);
    for (const response of [accepted, invalid, anonymous]) {
      expect(response.headers['access-control-allow-origin']).toBe('*');
      expect(response.headers['access-control-expose-headers']).toBe(
        'ETag, X-Vexil-Version, Retry-After, X-Request-Id',
      );
    }
  });

  it('lets a browser read a refused key on the snapshot and the stream', async () => {
    for (const url of ['/api/v1/sdk/snapshot', '/api/v1/sdk/stream']) {
      const none = await s.call('GET', url, { key: null, headers: origin });
      const admin = await s.call('GET', url, { headers: origin });
      expect([none.statusCode, admin.statusCode], url).toEqual([401, 403]);
      expect(none.headers['access-control-allow-origin']).toBe('*');
      expect(admin.headers['access-control-allow-origin']).toBe('*');
    }
  });

  it('adds no CORS headers to the admin API', async () => {
    const response = await s.call('GET', '/api/v1/projects', { headers: origin });
    expect(response.statusCode).toBe(200);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });
});
