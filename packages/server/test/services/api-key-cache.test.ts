import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVexil } from '../../src/services/index.js';
import { newTestVexil, type TestVexil } from '../helpers/vexil.js';

describe('API keys answered from the cache (authenticateCached)', () => {
  let t: TestVexil;
  beforeEach(async () => {
    t = await newTestVexil();
  });
  afterEach(async () => {
    await t.dispose();
  });

  it('knows nothing of a secret until it has been looked up, then answers what authenticate answers', async () => {
    const { key, secret } = await t.vexil.keys.create({
      kind: 'server',
      project: 'shop',
      environment: 'production',
    });
    expect(t.vexil.keys.authenticateCached(secret)).toBeUndefined();
    expect((await t.vexil.keys.authenticate(secret))?.id).toBe(key.id);
    expect(t.vexil.keys.authenticateCached(secret)?.id).toBe(key.id);

    const unknown = `${secret}x`;
    expect(t.vexil.keys.authenticateCached(unknown)).toBeUndefined();
    expect(await t.vexil.keys.authenticate(unknown)).toBeUndefined();
    expect(t.vexil.keys.authenticateCached(unknown)).toBeNull();
  });

  it('refuses secrets of impossible length without a lookup', () => {
    expect(t.vexil.keys.authenticateCached('short')).toBeNull();
    expect(t.vexil.keys.authenticateCached('x'.repeat(513))).toBeNull();
  });

  it('forgets a revoked or rotated key at once, and an entry once it is 5 s old', async () => {
    const a = await t.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'production' });
    const b = await t.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'production' });
    await t.vexil.keys.authenticate(a.secret);
    await t.vexil.keys.authenticate(b.secret);
    await t.vexil.keys.revoke(a.key.id);
    expect(t.vexil.keys.authenticateCached(a.secret)).toBeUndefined();
    expect(await t.vexil.keys.authenticate(a.secret)).toBeUndefined();
    expect(t.vexil.keys.authenticateCached(a.secret)).toBeNull();

    await t.vexil.keys.authenticate(b.secret);
    t.clock.advance(5000);
    expect(t.vexil.keys.authenticateCached(b.secret)).toBeUndefined();
  });

  it('refuses a cached key once it expires, on the same clock as authenticate', async () => {
    const old = await t.vexil.keys.create({ kind: 'server', project: 'shop', environment: 'production' });
    const rotated = await t.vexil.keys.rotate(old.key.id, { gracePeriodSeconds: 2 });
    expect((await t.vexil.keys.authenticate(old.secret))?.id).toBe(old.key.id);
    expect(t.vexil.keys.authenticateCached(old.secret)?.id).toBe(old.key.id);
    t.clock.advance(1999);
    expect(t.vexil.keys.authenticateCached(old.secret)?.id).toBe(old.key.id);
    t.clock.advance(1);
    expect(t.vexil.keys.authenticateCached(old.secret)).toBeNull();
    expect(await t.vexil.keys.authenticate(old.secret)).toBeUndefined();
    expect((await t.vexil.keys.authenticate(rotated.secret))?.id).toBe(rotated.key.id);
  });

  it('records the last use of keys answered from the cache too', async () => {
    const vexil = createVexil({ store: t.store, clock: t.clock.now, keys: { touchIntervalMs: 1000 } });
    const { key, secret } = await vexil.keys.create({ kind: 'admin' });
    await vexil.keys.authenticate(secret);
    t.clock.advance(2000);
    expect(vexil.keys.authenticateCached(secret)?.id).toBe(key.id);
    const at = t.clock.iso();
    await waitFor(async () => (await t.store.getApiKey(key.id))?.lastUsedAt === at);
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}
