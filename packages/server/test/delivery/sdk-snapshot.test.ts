import { verifySignedFlagSet } from '@vexil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../helpers/vexil.js';
import { bearer, type ListeningServer, listeningServer } from './listening-server.js';

const kinds = await storeKinds();

describe.each(kinds)('GET /api/v1/sdk/snapshot on %s', (kind) => {
  let s: ListeningServer;
  beforeAll(async () => {
    s = await listeningServer(kind, {
      seed: async ({ vexil }) => {
        await vexil.flags.create('shop', 'banner', { type: 'boolean', clientVisible: true, enabled: true });
        await vexil.flags.create('shop', 'secret-pricing', {
          type: 'number',
          variants: { a: 1, b: 2 },
          enabled: true,
          defaultServe: { variant: 'b' },
        });
        for (let i = 0; i < 40; i++)
          await vexil.flags.create('shop', `filler-${i}`, {
            type: 'string',
            variants: { x: 'x'.repeat(50), y: 'y' },
          });
      },
    });
  });
  afterAll(async () => {
    await s?.dispose();
  });

  const get = (key: string | null, headers: Record<string, string> = {}, query = '') =>
    fetch(`${s.url}/api/v1/sdk/snapshot${query}`, {
      headers: { ...(key === null ? {} : bearer(key)), ...headers },
    });

  it('answers a server key with the full flag set, its version, ETag and X-Vexil-Version', async () => {
    const response = await get(s.serverKey);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as {
      version: number;
      scope: string;
      flags: Record<string, unknown>;
    };
    const env = await s.vexil.environments.get('shop', 'production');
    expect(body).toMatchObject({
      project: 'shop',
      environment: 'production',
      scope: 'server',
      version: env.version,
    });
    expect(Object.keys(body.flags)).toContain('secret-pricing');
    expect(response.headers.get('etag')).toBe(`"server-${env.version}"`);
    expect(response.headers.get('x-vexil-version')).toBe(String(env.version));
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers a client key with client-visible flags only', async () => {
    const response = await get(s.clientKey);
    const body = (await response.json()) as { scope: string; flags: Record<string, unknown> };
    expect(body.scope).toBe('client');
    expect(Object.keys(body.flags)).toEqual(['banner']);
    expect(response.headers.get('etag')).toMatch(/^"client-\d+"$/);
  });

  it('answers 304 without a body when If-None-Match has the current tag', async () => {
    const etag = (await get(s.serverKey)).headers.get('etag')!;
    const response = await get(s.serverKey, { 'if-none-match': etag });
    expect(response.status).toBe(304);
    expect(await response.text()).toBe('');
    expect(response.headers.get('etag')).toBe(etag);
    expect((await get(s.serverKey, { 'if-none-match': `W/${etag}, "other"` })).status).toBe(304);
    expect((await get(s.serverKey, { 'if-none-match': '"server-1"' })).status).toBe(200);
  });

  it('compresses with brotli or gzip when the client accepts it, and not otherwise', async () => {
    const plain = await (await get(s.serverKey, { 'accept-encoding': 'identity' })).text();
    for (const [accept, encoding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, gzip;q=0.5', 'gzip'],
    ] as const) {
      const response = await get(s.serverKey, { 'accept-encoding': accept });
      expect(response.headers.get('content-encoding')).toBe(encoding);
      expect(await response.text()).toBe(plain); // fetch decompresses
    }
    expect(
      (await get(s.serverKey, { 'accept-encoding': 'identity' })).headers.get('content-encoding'),
    ).toBeNull();
  });

  it('serves the new version after a change, and never an older one', async () => {
    const before = (await (await get(s.serverKey)).json()) as { version: number };
    await s.adminCall('POST', '/api/v1/projects/shop/flags/banner/environments/production/disable');
    const version = (await s.vexil.environments.get('shop', 'production')).version;
    await s.delivery.snapshots.waitForVersion('shop', 'production', version, 10_000);
    const after = (await (await get(s.serverKey)).json()) as {
      version: number;
      flags: { banner: { enabled: boolean } };
    };
    expect(after.version).toBe(version);
    expect(after.version).toBeGreaterThan(before.version);
    expect(after.flags.banner.enabled).toBe(false);
  });

  it('refuses a request without a key (401) and an admin key (403)', async () => {
    const none = await get(null);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect((await get(s.admin)).status).toBe(403);
  });

  it('publishes its public keys without a key, and they verify the signed snapshot', async () => {
    const response = await fetch(`${s.url}/api/v1/sdk/signing-keys`);
    expect(response.status).toBe(200);
    const { keys } = (await response.json()) as {
      keys: { keyId: string; algorithm: 'Ed25519'; publicKey: string }[];
    };
    expect(keys[0]).toMatchObject({ algorithm: 'Ed25519' });
    const snapshot = s.delivery.snapshots.get('shop', 'production', 'server')!;
    const verified = await verifySignedFlagSet(JSON.parse(snapshot.envelope.toString('utf8')), keys);
    expect(verified.version).toBe(snapshot.version);
  });

  it('answers ?signed=true with the signed envelope, which verifies, with its own ETag', async () => {
    const response = await get(s.serverKey, {}, '?signed=true');
    expect(response.status).toBe(200);
    const envelope = (await response.json()) as { format: string; payload: string };
    expect(envelope.format).toBe('vexil-signed-flagset/1');
    const { keys } = (await (await fetch(`${s.url}/api/v1/sdk/signing-keys`)).json()) as {
      keys: { keyId: string; algorithm: 'Ed25519'; publicKey: string }[];
    };
    const set = await verifySignedFlagSet(envelope, keys);
    expect(set.version).toBe(Number(response.headers.get('x-vexil-version')));
    const etag = response.headers.get('etag')!;
    expect(etag).toMatch(/^"server-\d+-signed"$/);
    expect((await get(s.serverKey, { 'if-none-match': etag }, '?signed=true')).status).toBe(304);
    const client = (await (await get(s.clientKey, {}, '?signed=true')).json()) as { payload: string };
    expect(Object.keys(JSON.parse(client.payload).flags)).toEqual(['banner']);
  });

  it('rotates the signing key from the admin API, keeping the old public key published', async () => {
    const before = (await (await fetch(`${s.url}/api/v1/sdk/signing-keys`)).json()) as {
      keys: { keyId: string }[];
    };
    const oldEnvelope = JSON.parse(
      s.delivery.snapshots.get('shop', 'production', 'server')!.envelope.toString('utf8'),
    );
    const rotated = await s.adminCall<{
      items: { keyId: string; status: string; retiresAt: string | null }[];
    }>('POST', '/api/v1/signing-keys/rotate');
    expect(rotated.items.map((k) => k.status)).toEqual(['current', 'previous']);
    expect(rotated.items[1]!.keyId).toBe(before.keys[0]!.keyId);
    expect(rotated.items[1]!.retiresAt).not.toBeNull();
    const after = (await (await fetch(`${s.url}/api/v1/sdk/signing-keys`)).json()) as {
      keys: { keyId: string; algorithm: 'Ed25519'; publicKey: string }[];
    };
    expect(after.keys.map((k) => k.keyId)).toEqual(rotated.items.map((k) => k.keyId));
    await verifySignedFlagSet(oldEnvelope, after.keys); // signed before the rotation: still verifies
    await s.adminCall('POST', '/api/v1/projects/shop/flags/banner/environments/production/enable');
    const version = (await s.vexil.environments.get('shop', 'production')).version;
    await s.delivery.snapshots.waitForVersion('shop', 'production', version, 10_000);
    const fresh = JSON.parse(
      s.delivery.snapshots.get('shop', 'production', 'server')!.envelope.toString('utf8'),
    );
    expect(fresh.keyId).toBe(rotated.items[0]!.keyId);
    await verifySignedFlagSet(fresh, after.keys);
    const listed = await s.adminCall<{ items: unknown[] }>('GET', '/api/v1/signing-keys');
    expect(listed.items).toHaveLength(2);
  });
});
