import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { evaluate, verifySignedFlagSet } from '@vexil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SigningKeys } from '../../src/delivery/signing/signing-keys.js';
import {
  SnapshotManager,
  type SnapshotRemoval,
  type SnapshotSwap,
} from '../../src/delivery/snapshot-manager.js';
import { createVexil } from '../../src/services/index.js';
import { newTestVexil, storeKinds, type TestVexil } from '../helpers/vexil.js';

const kinds = await storeKinds();

describe.each(kinds)('the snapshot manager on %s', (kind) => {
  let t: TestVexil;
  let snapshots: SnapshotManager;
  let swaps: SnapshotSwap[];
  let keys: SigningKeys;

  beforeEach(async () => {
    t = await newTestVexil(kind);
    const v = t.vexil;
    await v.segments.create('shop', 'staff', {
      conditions: [{ attribute: 'email', op: 'endsWith', value: '@shop.test' }],
    });
    await v.flags.create('shop', 'checkout', {
      type: 'boolean',
      clientVisible: true,
      overrides: [{ segment: 'staff', variant: 'on' }],
      environments: { production: { enabled: true, defaultServe: { variant: 'off' } } },
    });
    await v.flags.create('shop', 'pricing', {
      type: 'number',
      variants: { low: 1, high: 2 },
      enabled: true,
      defaultServe: { variant: 'high' },
    });
    keys = new SigningKeys(t.store);
    await keys.load();
    snapshots = new SnapshotManager({ vexil: v, keys });
    swaps = [];
    snapshots.subscribe((s) => swaps.push(s));
    await snapshots.start();
  });
  afterEach(async () => {
    snapshots.close();
    await t.dispose();
  });

  /** Waits until the manager holds `version` for production. */
  async function reach(version: number): Promise<void> {
    expect(await snapshots.waitForVersion('shop', 'production', version, 10_000)).toBe(true);
  }

  async function productionVersion(): Promise<number> {
    return (await t.vexil.environments.get('shop', 'production')).version;
  }

  it('loads every environment at start, in both scopes, as the flag set service builds them', async () => {
    expect(snapshots.loaded).toBe(true);
    for (const environment of ['development', 'staging', 'production']) {
      for (const scope of ['server', 'client'] as const) {
        const snapshot = snapshots.get('shop', environment, scope)!;
        const built = await t.vexil.flagSets.build('shop', environment, scope);
        const body = JSON.parse(snapshot.body.toString('utf8'));
        expect({ ...body, generatedAt: 'x' }).toEqual({ ...built, generatedAt: 'x' });
        expect(snapshot.version).toBe(built.version);
        expect(snapshot.etag).toBe(`"${scope}-${built.version}"`);
      }
    }
    expect(Object.keys(snapshots.get('shop', 'production', 'client')!.definition.flags)).toEqual([
      'checkout',
    ]);
    expect(Object.keys(snapshots.get('shop', 'production', 'client')!.definition.segments ?? {})).toEqual([
      'staff',
    ]);
    expect(snapshots.get('shop', 'nowhere', 'server')).toBeUndefined();
  });

  it('swaps in a new snapshot after a commit, with a patch carrying only what changed', async () => {
    const before = snapshots.get('shop', 'production', 'server')!;
    swaps.length = 0;
    await t.vexil.flags.disable('shop', 'production', 'checkout');
    const version = await productionVersion();
    await reach(version);
    const after = snapshots.get('shop', 'production', 'server')!;
    expect(after.version).toBe(version);
    expect(after.version).toBeGreaterThan(before.version);
    expect(before.definition.flags.checkout?.enabled).toBe(true); // the old snapshot is untouched
    const serverSwap = swaps.find((s) => s.scope === 'server' && s.environment === 'production')!;
    expect(serverSwap).toMatchObject({ version, previousVersion: before.version });
    expect(Object.keys(serverSwap.patch.flags)).toEqual(['checkout']);
    expect(serverSwap.patch.flags.checkout?.enabled).toBe(false);
    expect(serverSwap.patch.segments).toEqual({});
    expect(JSON.parse(serverSwap.patchJson)).toEqual(serverSwap.patch);
    expect(evaluate(after.flagSet, 'checkout', { targetingKey: 'u' }).reason).toBe('DISABLED');
  });

  it('sends null to client streams when a flag stops being client-visible, and drops its segments', async () => {
    const before = snapshots.get('shop', 'production', 'client')!;
    swaps.length = 0;
    await t.vexil.flags.patch('shop', 'checkout', { clientVisible: false });
    await reach(await productionVersion());
    const clientSwap = swaps.find((s) => s.scope === 'client' && s.environment === 'production')!;
    expect(clientSwap.previousVersion).toBe(before.version);
    expect(clientSwap.patch.flags).toEqual({ checkout: null });
    expect(clientSwap.patch.segments).toEqual({ staff: null });
    expect(snapshots.get('shop', 'production', 'client')!.definition.flags).toEqual({});
  });

  it('keeps a chain of patches for resumes, and says when it no longer has them', async () => {
    const start = snapshots.get('shop', 'production', 'server')!.version;
    for (let i = 0; i < 3; i++) {
      await t.vexil.flags.setEnvironment('shop', 'production', 'pricing', { enabled: i % 2 === 0 });
      await reach(await productionVersion());
    }
    const chain = snapshots.patchesSince('shop', 'production', 'server', start)!;
    expect(chain.length).toBeGreaterThanOrEqual(1);
    expect(chain[0]!.previousVersion).toBe(start);
    expect(chain[chain.length - 1]!.version).toBe(await productionVersion());
    expect(snapshots.patchesSince('shop', 'production', 'server', await productionVersion())).toEqual([]);
    expect(snapshots.patchesSince('shop', 'production', 'server', start - 1)).toBeUndefined();
    expect(snapshots.patchesSince('shop', 'production', 'server', 10_000_000)).toBeUndefined();
  });

  it('never goes backwards, however many commits race', async () => {
    const seen = new Map<string, number>();
    let backwards = 0;
    snapshots.subscribe((s) => {
      const key = `${s.environment}/${s.scope}`;
      if (s.version <= (seen.get(key) ?? 0)) backwards++;
      seen.set(key, s.version);
    });
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.vexil.flags.setEnvironment('shop', 'production', 'pricing', {
          enabled: true,
          defaultServe: { variant: i % 2 ? 'low' : 'high' },
        }),
      ),
    );
    await reach(await productionVersion());
    expect(backwards).toBe(0);
    expect(snapshots.get('shop', 'production', 'server')!.version).toBe(await productionVersion());
  });

  it('applies a change another server committed when told about it', async () => {
    const other = createVexil({ store: t.store }); // a second server on the same store: its commits are not heard here
    await other.flags.disable('shop', 'production', 'pricing');
    const version = await productionVersion();
    expect(snapshots.get('shop', 'production', 'server')!.version).toBeLessThan(version);
    await snapshots.applyRemoteChange('shop', 'production', version);
    expect(snapshots.get('shop', 'production', 'server')!.version).toBe(version);
    expect(snapshots.get('shop', 'production', 'server')!.definition.flags.pricing?.enabled).toBe(false);
    await snapshots.applyRemoteChange('shop', 'production', version - 1); // older: nothing to do
    expect(snapshots.get('shop', 'production', 'server')!.version).toBe(version);
  });

  it('serves a flag deleted and re-created under the same key with its new definition', async () => {
    await t.vexil.flags.delete('shop', 'pricing');
    await t.vexil.flags.create('shop', 'pricing', {
      type: 'number',
      variants: { low: 1, high: 2 },
      enabled: true,
      defaultServe: { variant: 'low' },
    });
    await reach(await productionVersion());
    const flag = snapshots.get('shop', 'production', 'server')!.definition.flags.pricing!;
    expect(flag.defaultServe).toEqual({ variant: 'low' });
    const body = JSON.parse(snapshots.get('shop', 'production', 'server')!.body.toString('utf8'));
    expect(body.flags.pricing.defaultServe).toEqual({ variant: 'low' });
  });

  it('loads a new environment and forgets a deleted one', async () => {
    const removed: SnapshotRemoval[] = [];
    snapshots.onRemoved((r) => removed.push(r));
    await t.vexil.environments.create('shop', 'qa');
    expect((await snapshots.load('shop', 'qa', 'server')).environment).toBe('qa');
    await t.vexil.environments.delete('shop', 'staging');
    await snapshots.refresh('shop', 'staging');
    expect(snapshots.get('shop', 'staging', 'server')).toBeUndefined();
    expect(removed).toContainEqual({ project: 'shop', environment: 'staging' });
    await expect(snapshots.load('shop', 'staging', 'server')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('keeps gzip and brotli bodies that decompress to the body, and a signed envelope that verifies', async () => {
    const snapshot = snapshots.get('shop', 'production', 'server')!;
    expect(snapshot.encoded('gzip')).toBeUndefined();
    expect(gunzipSync(await snapshot.encode('gzip'))).toEqual(snapshot.body);
    expect(brotliDecompressSync(await snapshot.encode('br'))).toEqual(snapshot.body);
    expect(snapshot.encoded('br')).toBe(await snapshot.encode('br'));
    const envelope = JSON.parse(snapshot.envelope.toString('utf8'));
    expect(envelope).toMatchObject({
      format: 'vexil-signed-flagset/1',
      algorithm: 'Ed25519',
      keyId: keys.currentKeyId,
    });
    expect(envelope.payload).toBe(snapshot.body.toString('utf8'));
    const verified = await verifySignedFlagSet(envelope, keys.publicKeys());
    expect(verified.version).toBe(snapshot.version);
  });
});
