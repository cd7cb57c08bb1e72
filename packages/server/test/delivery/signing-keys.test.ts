import { generateKeyPairSync } from 'node:crypto';
import { verifySignedPayload } from '@vexil/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SigningKeys } from '../../src/delivery/signing/signing-keys.js';
import { StreamTokens } from '../../src/delivery/streams/stream-tokens.js';
import { resolveServeConfig } from '../../src/server/config.js';
import type { Store } from '../../src/stores/index.js';
import { newTestStore } from '../helpers/vexil.js';

function ed25519() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    der: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    spki: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

function envelope(keys: SigningKeys, payload: string) {
  const { keyId, signature } = keys.sign(Buffer.from(payload, 'utf8'));
  return { format: 'vexil-signed-flagset/1', keyId, algorithm: 'Ed25519', signature, payload };
}

describe('signing keys', () => {
  let store: Store;
  let dispose: () => Promise<void>;
  beforeEach(async () => {
    ({ store, dispose } = await newTestStore('sqlite'));
  });
  afterEach(async () => {
    await dispose();
  });

  it('creates one key on first start and keeps it in the store, so every server signs with it', async () => {
    const first = new SigningKeys(store);
    await first.load();
    const second = new SigningKeys(store);
    await second.load();
    expect(second.currentKeyId).toBe(first.currentKeyId);
    expect(first.list()).toEqual([expect.objectContaining({ status: 'current', source: 'store' })]);
    await verifySignedPayload(envelope(second, 'x'), first.publicKeys());
  });

  it('picks up a rotation made by another server when it reloads', async () => {
    const here = new SigningKeys(store);
    await here.load();
    const elsewhere = new SigningKeys(store);
    await elsewhere.load();
    await elsewhere.rotate();
    expect(here.currentKeyId).not.toBe(elsewhere.currentKeyId);
    await here.load();
    expect(here.currentKeyId).toBe(elsewhere.currentKeyId);
    expect(here.publicKeys()).toHaveLength(2);
  });

  it('stops publishing a rotated-out key after the retention period', async () => {
    let now = Date.parse('2026-11-25T10:00:00Z');
    const keys = new SigningKeys(store, { retentionMs: 1000, now: () => new Date(now) });
    await keys.load();
    const old = keys.currentKeyId;
    await keys.rotate();
    expect(keys.publicKeys().map((k) => k.keyId)).toContain(old);
    now += 2000;
    await keys.load();
    expect(keys.publicKeys().map((k) => k.keyId)).not.toContain(old);
  });

  it('signs with a configured key (PEM or base64 DER) and publishes configured previous keys', async () => {
    const current = ed25519();
    const previous = ed25519();
    for (const privateKey of [current.pem, current.der]) {
      const keys = new SigningKeys(store, {
        privateKey,
        keyId: 'k-ops',
        previousKeys: [`k-old=${previous.spki}`],
      });
      await keys.load();
      expect(keys.publicKeys()).toEqual([
        { keyId: 'k-ops', algorithm: 'Ed25519', publicKey: current.spki },
        { keyId: 'k-old', algorithm: 'Ed25519', publicKey: previous.spki },
      ]);
      await verifySignedPayload(envelope(keys, 'payload'), keys.publicKeys());
      await expect(keys.rotate()).rejects.toMatchObject({ code: 'INVALID_STATE' });
    }
    expect(await store.getMeta('signing.keys')).toBeUndefined(); // nothing written to the store
  });

  it('refuses a configured key that is not an Ed25519 private key, naming the variable', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({
      format: 'pem',
      type: 'pkcs8',
    });
    for (const [options, path] of [
      [{ privateKey: 'not a key' }, 'VEXIL_SIGNING_KEY'],
      [{ privateKey: rsa.toString() }, 'VEXIL_SIGNING_KEY'],
      [{ privateKey: ed25519().pem, previousKeys: ['no-equals-sign'] }, 'VEXIL_SIGNING_PREVIOUS_KEYS'],
    ] as const) {
      const keys = new SigningKeys(store, options);
      await expect(keys.load()).rejects.toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path }] });
    }
  });

  it('lets a read-only server on a store without keys sign with a key of its own, writing nothing', async () => {
    const keys = new SigningKeys(store, { readOnly: true });
    await keys.load();
    expect(keys.list()[0]).toMatchObject({ source: 'ephemeral', status: 'current' });
    expect(await store.getMeta('signing.keys')).toBeUndefined();
  });

  it('reads the signing variables from the environment', () => {
    const key = ed25519();
    const config = resolveServeConfig(
      {},
      {
        VEXIL_SIGNING_KEY: key.pem,
        VEXIL_SIGNING_KEY_ID: 'k-1',
        VEXIL_SIGNING_PREVIOUS_KEYS: `k-0=${key.spki}, `,
      },
    );
    expect(config.signing).toEqual({
      privateKey: key.pem.trim(),
      keyId: 'k-1',
      previousKeys: [`k-0=${key.spki}`],
    });
    expect(resolveServeConfig({}, {}).signing).toEqual({});
  });
});

describe('stream tokens', () => {
  it('grant the key they were issued for until they expire, and nothing when altered', async () => {
    const { store, dispose } = await newTestStore('sqlite');
    try {
      const keys = new SigningKeys(store);
      await keys.load();
      const tokens = new StreamTokens(keys, 60_000);
      const now = Date.parse('2026-11-25T10:00:00Z');
      const token = tokens.issue('key_1', now);
      expect(tokens.issue('key_1', now + 10_000)).toBe(token); // stable while young
      expect(tokens.check(token, now)).toEqual({ keyId: 'key_1', expiresAt: now + 60_000 });
      expect(tokens.check(token, now + 60_000)).toBeUndefined();
      const [claims, kid, signature] = token.split('.');
      const forgedClaims = Buffer.from(JSON.stringify({ k: 'key_2', x: now / 1000 + 60 })).toString(
        'base64url',
      );
      expect(tokens.check(`${forgedClaims}.${kid}.${signature}`, now)).toBeUndefined();
      expect(tokens.check(`${claims}.k-unknown.${signature}`, now)).toBeUndefined();
      expect(tokens.check('garbage', now)).toBeUndefined();
      expect(tokens.issue('key_1', now + 40_000)).not.toBe(token); // renewed past half its life
    } finally {
      await dispose();
    }
  });
});
