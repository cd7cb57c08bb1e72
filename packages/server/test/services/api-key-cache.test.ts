import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createVexil } from '../../src/services/index.js';
import { KeyCache } from '../../src/services/keys/key-cache.js';
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

describe('KeyCache', () => {
  const record = { id: 'key_1' } as never;

  it('keeps an entry for the whole TTL across generations, and drops it after', () => {
    const cache = new KeyCache(5000);
    cache.set('secret-a', record, 0);
    for (const at of [0, 4000]) expect(cache.get('secret-a', at)).toBe(record);
    cache.set('secret-b', null, 4999); // near the end of the first generation
    expect(cache.get('secret-a', 5000)).toBeUndefined(); // a second generation begins
    expect(cache.get('secret-b', 9998)).toBeNull(); // found in the first one, still valid
    expect(cache.get('secret-b', 9999)).toBeUndefined();
    expect(cache.get('secret-b', 20_000)).toBeUndefined();
  });

  it('holds secrets no longer than two generations', () => {
    const cache = new KeyCache(5000);
    cache.set('secret-a', record, 1000);
    cache.get('other', 7000); // a new generation: secret-a moves to the previous one
    cache.get('other', 13_000); // another: the generation holding secret-a is dropped
    const held = cache as unknown as { current: Map<string, unknown>; previous: Map<string, unknown> };
    expect(held.current.has('secret-a') || held.previous.has('secret-a')).toBe(false);
  });

  it('forgets everything on clear', () => {
    const cache = new KeyCache(5000);
    cache.set('secret-a', record, 0);
    cache.clear();
    expect(cache.get('secret-a', 1)).toBeUndefined();
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}
