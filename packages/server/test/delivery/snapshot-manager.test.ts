import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { evaluate, verifySignedFlagSet } from '@vexil/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

  /** The snapshots a manager that has just loaded the environment holds, without their time. */
  async function freshly(environment: string): Promise<Record<string, unknown>> {
    const fresh = new SnapshotManager({ vexil: t.vexil, keys });
    const out: Record<string, unknown> = {};
    for (const scope of ['server', 'client'] as const) {
      const snapshot = await fresh.load('shop', environment, scope);
      out[scope] = snapshot.body.toString('utf8').replace(snapshot.generatedAt, '');
    }
    fresh.close();
    return out;
  }

  function held(environment: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const scope of ['server', 'client'] as const) {
      const snapshot = snapshots.get('shop', environment, scope)!;
      out[scope] = snapshot.body.toString('utf8').replace(snapshot.generatedAt, '');
    }
    return out;
  }

  it('follows each change by reading only what changed, and holds byte for byte what a full load makes', async () => {
    const fullReads = vi.spyOn(t.store, 'readEnvironmentState');
    const deltaReads = vi.spyOn(t.store, 'readEnvironmentChanges');
    const v = t.vexil;
    const steps: (() => Promise<unknown>)[] = [
      () => v.flags.disable('shop', 'production', 'checkout'),
      () => v.flags.setEnvironment('shop', 'staging', 'pricing', { enabled: false }), // another environment's settings
      () => v.flags.patch('shop', 'pricing', { clientVisible: true, description: 'now in browsers' }),
      () => v.segments.patch('shop', 'staff', { included: ['alice'] }),
      () => v.segments.create('shop', 'beta', { included: ['bob'] }),
      () => v.flags.patch('shop', 'checkout', { overrides: [{ segment: 'beta', variant: 'on' }] }),
      () => v.flags.create('shop', 'banner', { type: 'boolean', clientVisible: true, enabled: true }),
      () => v.flags.archive('shop', 'banner'),
      () => v.flags.restore('shop', 'banner'),
      () => v.flags.patch('shop', 'checkout', { clientVisible: false }),
      () => v.flags.delete('shop', 'banner'),
      () => v.environments.delete('shop', 'development'), // rewrites the flags with development settings
    ];
    let compared = 0;
    for (const [i, step] of steps.entries()) {
      const before = new Map<string, number>();
      for (const environment of ['production', 'staging'])
        before.set(environment, snapshots.get('shop', environment, 'server')!.version);
      t.clock.advance(1000);
      await step();
      for (const environment of ['production', 'staging']) {
        const version = (await t.vexil.environments.get('shop', environment)).version;
        // An environment the change did not touch keeps its snapshot (and the flags' versions in it).
        if (version === before.get(environment)) continue;
        expect(await snapshots.waitForVersion('shop', environment, version, 10_000)).toBe(true);
        expect(held(environment), `step ${i}, ${environment}`).toEqual(await freshly(environment));
        compared++;
      }
    }
    const mine = (calls: unknown[][]) => calls.filter((c) => c[0] === 'shop').length;
    expect(mine(deltaReads.mock.calls)).toBeGreaterThanOrEqual(compared);
    // Only the fresh managers of the comparison read whole environments.
    expect(mine(fullReads.mock.calls)).toBe(compared);
  });

  it('carries a changed weight table in the snapshot and in the patch, as subjectWeights', async () => {
    const v = t.vexil;
    await v.subjectWeights.put('shop', 'accounts', { weights: { acme: 50, globex: 10 } });
    await v.flags.setEnvironment('shop', 'production', 'pricing', {
      enabled: true,
      defaultServe: { rollout: { variants: { low: 50_000, high: 50_000 }, weightedBy: 'accounts' } },
    });
    await reach(await productionVersion());
    swaps.length = 0;
    t.clock.advance(1000);
    await v.subjectWeights.patch('shop', 'accounts', { weights: { acme: 60 } });
    await reach(await productionVersion());
    const server = snapshots.get('shop', 'production', 'server')!;
    expect(server.definition.subjectWeights).toEqual({ accounts: { weights: { acme: 60, globex: 10 } } });
    const swap = swaps.find((s) => s.scope === 'server' && s.environment === 'production')!;
    expect(swap.patch.subjectWeights).toEqual({ accounts: { weights: { acme: 60, globex: 10 } } });
    expect(JSON.parse(swap.patchJson)).toEqual(swap.patch);
    expect(held('production')).toEqual(await freshly('production'));
    // The client scope has no weighted flag: no table, nothing in its patch.
    expect(snapshots.get('shop', 'production', 'client')!.definition.subjectWeights).toBeUndefined();
    expect(
      swaps.find((s) => s.scope === 'client' && s.environment === 'production')!.patch.subjectWeights,
    ).toBeUndefined();
  });

  it('reads the whole environment when the change log does not lead from the version held', async () => {
    const other = createVexil({ store: t.store }); // commits this manager does not hear about
    const before = snapshots.get('shop', 'production', 'server')!;
    await other.environments.delete('shop', 'production');
    await other.environments.create('shop', 'production');
    await other.flags.setEnvironment('shop', 'production', 'pricing', {
      enabled: true,
      defaultServe: { variant: 'low' },
    });
    const version = await productionVersion();
    expect(version).toBeGreaterThan(before.version);
    await snapshots.applyRemoteChange('shop', 'production', version);
    expect(snapshots.get('shop', 'production', 'server')!.version).toBe(version);
    expect(held('production')).toEqual(await freshly('production'));
    expect(snapshots.get('shop', 'production', 'server')!.definition.flags.pricing?.defaultServe).toEqual({
      variant: 'low',
    });
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
