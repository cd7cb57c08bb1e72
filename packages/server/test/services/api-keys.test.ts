import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidStateError, NotFoundError, ValidationError } from '../../src/errors/index.js';
import { hashSecret } from '../../src/services/index.js';
import { newTestVexil, type TestVexil } from '../helpers/vexil.js';

describe('API keys', () => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('creates keys of each kind with a readable prefix, keeping only a hash', async () => {
    const admin = await t.vexil.keys.create({ kind: 'admin', name: 'ci' });
    const server = await t.vexil.keys.create({ kind: 'server', project: 'shop', environment: 'production' });
    const client = await t.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'staging' });
    expect(admin.secret).toMatch(/^vx_admin_[A-Za-z0-9_-]{32}$/);
    expect(server.secret).toMatch(/^vx_server_/);
    expect(client.secret).toMatch(/^vx_client_/);
    expect(server.key).toMatchObject({
      kind: 'server',
      project: 'shop',
      environment: 'production',
      status: 'active',
    });
    expect(server.key).not.toHaveProperty('hash');
    expect(server.key.hint.endsWith('…')).toBe(true);
    const stored = await t.store.getApiKey(server.key.id);
    expect(stored?.hash).toBe(hashSecret(server.secret));
    expect(JSON.stringify(stored)).not.toContain(server.secret);
    expect(JSON.stringify((await t.vexil.audit.list()).items)).not.toContain(server.secret);
    expect((await t.vexil.keys.list({ project: 'shop' })).total).toBe(2);
  });

  it('requires an environment for server and client keys, and none for admin keys', async () => {
    const missing = await t.vexil.keys.create({ kind: 'server' }).catch((e: unknown) => e);
    expect((missing as ValidationError).issues.map((i) => i.path)).toEqual(['project', 'environment']);
    await expect(
      t.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'nope' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(t.vexil.keys.create({ kind: 'admin', project: 'shop' })).rejects.toBeInstanceOf(
      ValidationError,
    );
  });

  it('authenticates active keys only, and revokes them at once', async () => {
    const { key, secret } = await t.vexil.keys.create({
      kind: 'server',
      project: 'shop',
      environment: 'production',
    });
    expect((await t.vexil.keys.authenticate(secret))?.id).toBe(key.id);
    expect(await t.vexil.keys.authenticate(`${secret}x`)).toBeUndefined();
    expect(await t.vexil.keys.authenticate('short')).toBeUndefined();
    await t.vexil.keys.revoke(key.id, { actor: 'alice' });
    expect(await t.vexil.keys.authenticate(secret)).toBeUndefined();
    expect((await t.vexil.keys.list()).total).toBe(0);
    expect((await t.vexil.keys.list({ includeInactive: true })).items[0]?.status).toBe('revoked');
    expect(
      (await t.vexil.audit.list({ resourceType: 'apiKey', action: 'apiKey.revoke' })).items[0]?.actor,
    ).toBe('alice');
  });

  it('rotates a key: the old one keeps working for the grace period beside its successor', async () => {
    const old = await t.vexil.keys.create({
      kind: 'client',
      project: 'shop',
      environment: 'production',
      name: 'web',
    });
    const rotated = await t.vexil.keys.rotate(old.key.id, { gracePeriodSeconds: 600 });
    expect(rotated.key).toMatchObject({
      kind: 'client',
      project: 'shop',
      environment: 'production',
      name: 'web',
    });
    expect(rotated.previous).toMatchObject({ replacedBy: rotated.key.id, status: 'active' });
    expect((await t.vexil.keys.authenticate(old.secret))?.id).toBe(old.key.id);
    expect((await t.vexil.keys.authenticate(rotated.secret))?.id).toBe(rotated.key.id);
    t.clock.advance(600_000);
    expect(await t.vexil.keys.authenticate(old.secret)).toBeUndefined();
    expect((await t.vexil.keys.get(old.key.id)).status).toBe('expired');
    expect((await t.vexil.keys.authenticate(rotated.secret))?.id).toBe(rotated.key.id);
    await expect(t.vexil.keys.rotate(old.key.id)).rejects.toBeInstanceOf(InvalidStateError);
    const now = await t.vexil.keys.rotate(rotated.key.id, { gracePeriodSeconds: 0 });
    expect(await t.vexil.keys.authenticate(rotated.secret)).toBeUndefined();
    expect(await t.vexil.keys.authenticate(now.secret)).toBeDefined();
  });

  it('records when a key was last used, but not on every request', async () => {
    const { key, secret } = await t.vexil.keys.create({ kind: 'admin' });
    await t.vexil.keys.authenticate(secret);
    const first = t.clock.iso();
    await waitFor(async () => (await t.store.getApiKey(key.id))?.lastUsedAt === first);
    t.clock.advance(10_000);
    await t.vexil.keys.authenticate(secret);
    await new Promise((r) => setTimeout(r, 50));
    expect((await t.store.getApiKey(key.id))?.lastUsedAt).toBe(first);
    t.clock.advance(60_000);
    await t.vexil.keys.authenticate(secret);
    const later = t.clock.iso();
    await waitFor(async () => (await t.store.getApiKey(key.id))?.lastUsedAt === later);
  });

  it('makes VEXIL_ADMIN_TOKEN an admin key once', async () => {
    const token = 'my-own-admin-token-of-some-length';
    const first = await t.vexil.keys.ensureAdminKey(token, 'VEXIL_ADMIN_TOKEN');
    const second = await t.vexil.keys.ensureAdminKey(token, 'VEXIL_ADMIN_TOKEN');
    expect(first.created).toBe(true);
    expect(second).toMatchObject({ created: false, key: { id: first.key.id } });
    expect((await t.vexil.keys.authenticate(token))?.kind).toBe('admin');
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('condition not met');
}
