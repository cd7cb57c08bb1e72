import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listeningServer } from '../delivery/listening-server.js';

// OFREP's OpenAPI document offers two security schemes, BearerAuth and ApiKeyAuth (`X-API-Key`);
// either one is enough. Vexil reads X-API-Key on the OFREP evaluation routes only.
describe('OFREP with the key in X-API-Key', () => {
  let s: ListeningServer;
  beforeAll(async () => {
    s = await listeningServer('sqlite', {
      seed: async ({ vexil }) => {
        await vexil.flags.create('shop', 'banner', { type: 'boolean', clientVisible: true, enabled: true });
        await vexil.flags.create('shop', 'server-only', { type: 'boolean', enabled: true });
      },
    });
  });
  afterAll(async () => {
    await OpenFeature.clearProviders();
    await s?.dispose();
  });

  const post = (path: string, headers: Record<string, string>) =>
    fetch(`${s.url}/ofrep/v1/evaluate/flags${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ context: { targetingKey: 'u1' } }),
    });

  it('evaluates one flag and every flag with a server key in X-API-Key', async () => {
    const one = await post('/banner', { 'x-api-key': s.serverKey });
    expect(one.status).toBe(200);
    expect(await one.json()).toEqual({ key: 'banner', value: true, variant: 'on', reason: 'STATIC' });
    const bulk = await post('', { 'X-API-Key': s.serverKey });
    expect(bulk.status).toBe(200);
    const body = (await bulk.json()) as { flags: { key: string }[] };
    expect(body.flags.map((f) => f.key).sort()).toEqual(['banner', 'server-only']);
  });

  it('scopes a client key in X-API-Key to client-visible flags, as it does a bearer token', async () => {
    expect((await post('/server-only', { 'x-api-key': s.clientKey })).status).toBe(404);
    const bulk = (await (await post('', { 'x-api-key': s.clientKey })).json()) as {
      flags: { key: string }[];
    };
    expect(bulk.flags.map((f) => f.key)).toEqual(['banner']);
  });

  it('answers 401 without a body for an unknown key, and 403 for an admin key, in X-API-Key', async () => {
    const unknown = await post('/banner', { 'x-api-key': 'vx_server_neverIssuedByThisServer000' });
    expect(unknown.status).toBe(401);
    expect(await unknown.text()).toBe('');
    const admin = await post('/banner', { 'x-api-key': s.admin });
    expect(admin.status).toBe(403);
    expect(await admin.text()).toBe('');
  });

  it('accepts both headers when they carry the same key', async () => {
    const response = await post('/banner', {
      authorization: `Bearer ${s.serverKey}`,
      'x-api-key': s.serverKey,
    });
    expect(response.status).toBe(200);
  });

  it('answers 401 when Authorization and X-API-Key carry different keys, even two valid ones', async () => {
    for (const path of ['/banner', '']) {
      const response = await post(path, { authorization: `Bearer ${s.serverKey}`, 'x-api-key': s.clientKey });
      expect(response.status).toBe(401);
      expect(await response.text()).toBe('');
    }
  });

  it('uses X-API-Key when Authorization carries no bearer token (another scheme, say from a proxy)', async () => {
    const response = await post('/banner', { authorization: 'Basic dXNlcjpwYXNz', 'x-api-key': s.serverKey });
    expect(response.status).toBe(200);
  });

  it('names an event stream that works for a key sent in X-API-Key', async () => {
    const bulk = (await (await post('', { 'x-api-key': s.clientKey })).json()) as {
      eventStreams: { endpoint: { requestUri: string } }[];
    };
    const controller = new AbortController();
    const stream = await fetch(`${s.url}${bulk.eventStreams[0]?.endpoint.requestUri}`, {
      signal: controller.signal,
    });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
    controller.abort();
  });

  it('reads X-API-Key on OFREP routes only: the SDK snapshot still needs Authorization', async () => {
    const response = await fetch(`${s.url}/api/v1/sdk/snapshot`, { headers: { 'x-api-key': s.serverKey } });
    expect(response.status).toBe(401);
  });

  it('declares both security schemes on the OFREP routes of the API document', async () => {
    const doc = (await (await fetch(`${s.url}/openapi.json`)).json()) as {
      components: { securitySchemes: Record<string, { type: string; in?: string; name?: string }> };
      paths: Record<string, Record<string, { security?: unknown }>>;
    };
    expect(doc.components.securitySchemes.apiKeyAuth).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'X-API-Key',
    });
    const both = [{ bearerAuth: [] }, { apiKeyAuth: [] }];
    expect(doc.paths['/ofrep/v1/evaluate/flags/{key}']?.post?.security).toEqual(both);
    expect(doc.paths['/ofrep/v1/evaluate/flags']?.post?.security).toEqual(both);
    expect(doc.paths['/api/v1/sdk/snapshot']?.get?.security).toBeUndefined(); // the document's default: bearer
  });

  it('works through the OpenFeature OFREP provider configured with an X-API-Key header', async () => {
    await OpenFeature.setProviderAndWait(
      'vexil-x-api-key',
      new OFREPProvider({ baseUrl: s.url, headers: [['X-API-Key', s.clientKey]] }),
    );
    const client = OpenFeature.getClient('vexil-x-api-key');
    expect(await client.getBooleanDetails('banner', false, { targetingKey: 'u1' })).toMatchObject({
      value: true,
      variant: 'on',
      reason: 'STATIC',
    });
    expect(await client.getBooleanDetails('server-only', false, { targetingKey: 'u1' })).toMatchObject({
      value: false,
      errorCode: 'FLAG_NOT_FOUND',
    });
  });
});
