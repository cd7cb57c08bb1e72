import { describe, expect, it } from 'vitest';
import { createClient, silentLogger, type VexilError } from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { makeSigner } from './support/signing.js';

describe('signed bootstrap', () => {
  const signer = makeSigner('k-2026-11');

  it('serves a correctly signed bootstrap once its signature checks out', async () => {
    const client = createClient({
      source: 'offline',
      bootstrap: signer.sign(sampleFlags()),
      signingKeys: [signer.publicKey],
      logger: silentLogger,
    });
    await client.waitForReady({ timeout: 2000 });
    expect(client.getNumber('max-items', 0)).toBe(50);
  });

  it('refuses a tampered bootstrap with a clear error and serves defaults', async () => {
    const signedEnvelope = signer.sign(sampleFlags());
    const envelope = {
      ...signedEnvelope,
      payload: signedEnvelope.payload.replace('"large":50', '"large":5000'),
    };
    const errors: VexilError[] = [];
    const client = createClient({
      source: 'offline',
      bootstrap: envelope,
      signingKeys: [signer.publicKey],
      logger: silentLogger,
      on: { error: (e) => errors.push(e) },
    });
    await expect(client.waitForReady({ timeout: 2000 })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: expect.stringContaining('does not match'),
    });
    expect(errors[0]?.code).toBe('SIGNATURE_INVALID');
    expect(client.getDetails('max-items', 1)).toMatchObject({ value: 1, errorCode: 'PROVIDER_NOT_READY' });
  });

  it('refuses an unsigned bootstrap when signing keys are configured', async () => {
    const client = createClient({
      source: 'offline',
      bootstrap: sampleFlags(),
      signingKeys: [signer.publicKey],
      logger: silentLogger,
    });
    await expect(client.waitForReady({ timeout: 2000 })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: expect.stringContaining('unsigned'),
    });
    expect(client.getNumber('max-items', 1)).toBe(1);
  });

  it('refuses a bootstrap signed by a key it does not trust', async () => {
    const stranger = makeSigner('k-other');
    const client = createClient({
      source: 'offline',
      bootstrap: stranger.sign(sampleFlags()),
      signingKeys: [signer.publicKey],
      logger: silentLogger,
    });
    await expect(client.waitForReady({ timeout: 2000 })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: expect.stringContaining('unknown key "k-other"'),
    });
  });

  it('refuses a bootstrap signed with the right key id but another private key', async () => {
    const impostor = makeSigner('k-2026-11');
    const client = createClient({
      source: 'offline',
      bootstrap: impostor.sign(sampleFlags()),
      signingKeys: [signer.publicKey],
      logger: silentLogger,
    });
    await expect(client.waitForReady({ timeout: 2000 })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });

  it('requires a signature when requireSignature is set, even without keys', async () => {
    const client = createClient({
      source: 'offline',
      bootstrap: sampleFlags(),
      requireSignature: true,
      logger: silentLogger,
    });
    await expect(client.waitForReady({ timeout: 2000 })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });
});
