import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FlagSetParseError } from '../errors/flag-set-parse-error.js';
import { SignatureError } from '../errors/signature-error.js';
import { evaluate } from '../evaluate/evaluate.js';
import { decodeBase64 } from './base64.js';
import {
  isSignedFlagSet,
  SIGNED_FLAG_SET_FORMAT,
  verifySignedFlagSet,
  verifySignedPayload,
} from './verify.js';

function newKey(keyId: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return {
    publicKey: { keyId, algorithm: 'Ed25519' as const, publicKey: spki },
    sign(payload: string) {
      return {
        format: SIGNED_FLAG_SET_FORMAT,
        keyId,
        algorithm: 'Ed25519',
        signature: sign(null, Buffer.from(payload, 'utf8'), privateKey).toString('base64'),
        payload,
      };
    },
  };
}

const flagSet = {
  version: 7,
  environment: 'production',
  flags: {
    'new-checkout': { type: 'boolean', enabled: true, defaultServe: { variant: 'on' } },
    greeting: {
      type: 'string',
      variants: { hi: 'Grüß dich ✓' },
      enabled: true,
      defaultServe: { variant: 'hi' },
    },
  },
};
const payload = JSON.stringify(flagSet);

async function failure(promise: Promise<unknown>): Promise<SignatureError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignatureError);
  return error as SignatureError;
}

describe('verifySignedFlagSet', () => {
  const current = newKey('k-current');
  const previous = newKey('k-previous');
  const trusted = [previous.publicKey, current.publicKey];

  it('returns the parsed flag set of a correctly signed envelope', async () => {
    const set = await verifySignedFlagSet(current.sign(payload), trusted);
    expect(set.version).toBe(7);
    expect(evaluate(set, 'greeting', {}).value).toBe('Grüß dich ✓');
  });

  it('accepts the envelope as JSON text, and a key kept published after a rotation', async () => {
    const set = await verifySignedFlagSet(JSON.stringify(previous.sign(payload)), trusted);
    expect(evaluate(set, 'new-checkout', {}).value).toBe(true);
  });

  it('refuses a payload changed after signing', async () => {
    const envelope = current.sign(payload);
    const tampered = { ...envelope, payload: payload.replace('"enabled":true', '"enabled":false') };
    const error = await failure(verifySignedFlagSet(tampered, trusted));
    expect(error.code).toBe('SIGNATURE_INVALID');
    expect(error.reason).toBe('BAD_SIGNATURE');
    expect(error.keyId).toBe('k-current');
  });

  it('refuses a signature made by another key under a trusted key id', async () => {
    const impostor = newKey('k-current');
    const error = await failure(verifySignedFlagSet(impostor.sign(payload), trusted));
    expect(error.reason).toBe('BAD_SIGNATURE');
  });

  it('refuses a signature that is not 64 bytes of base64', async () => {
    const error = await failure(
      verifySignedFlagSet({ ...current.sign(payload), signature: 'bm90IGEgc2ln' }, trusted),
    );
    expect(error.reason).toBe('BAD_SIGNATURE');
  });

  it('refuses an envelope signed by a key it does not trust, naming the key', async () => {
    const stranger = newKey('k-stranger');
    const error = await failure(verifySignedFlagSet(stranger.sign(payload), trusted));
    expect(error.reason).toBe('UNKNOWN_KEY');
    expect(error.message).toContain('k-stranger');
    expect(error.message).toContain('k-current');
  });

  it('refuses unsigned flag data', async () => {
    expect((await failure(verifySignedFlagSet(flagSet, trusted))).reason).toBe('UNSIGNED');
    expect((await failure(verifySignedFlagSet(payload, trusted))).reason).toBe('UNSIGNED');
    expect((await failure(verifySignedFlagSet(null, trusted))).reason).toBe('UNSIGNED');
  });

  it('refuses a malformed envelope and an unsupported algorithm', async () => {
    const envelope = current.sign(payload);
    const { signature: _missing, ...noSignature } = envelope;
    expect((await failure(verifySignedFlagSet(noSignature, trusted))).reason).toBe('MALFORMED_ENVELOPE');
    expect((await failure(verifySignedFlagSet({ ...envelope, algorithm: 'RS256' }, trusted))).reason).toBe(
      'UNSUPPORTED_ALGORITHM',
    );
  });

  it('says so when the signed payload is not JSON, or not a valid flag set', async () => {
    expect((await failure(verifySignedFlagSet(current.sign('{not json'), trusted))).reason).toBe(
      'INVALID_PAYLOAD',
    );
    const invalid = current.sign(JSON.stringify({ flags: { x: { type: 'colour' } } }));
    await expect(verifySignedFlagSet(invalid, trusted)).rejects.toBeInstanceOf(FlagSetParseError);
  });

  it('verifySignedPayload hands back the exact signed text', async () => {
    expect(await verifySignedPayload(current.sign(payload), trusted)).toBe(payload);
  });

  it('isSignedFlagSet tells envelopes from flag sets', () => {
    expect(isSignedFlagSet(current.sign(payload))).toBe(true);
    expect(isSignedFlagSet(flagSet)).toBe(false);
  });
});

describe('decodeBase64', () => {
  it('decodes standard and URL-safe base64, with or without padding, like Buffer does', () => {
    for (const length of [0, 1, 2, 3, 4, 5, 31, 64, 65]) {
      const bytes = Buffer.from(Array.from({ length }, (_, i) => (i * 37 + 11) % 256));
      expect(Buffer.from(decodeBase64(bytes.toString('base64'))!)).toEqual(bytes);
      expect(Buffer.from(decodeBase64(bytes.toString('base64url'))!)).toEqual(bytes);
    }
  });

  it('gives undefined for text that is not base64', () => {
    expect(decodeBase64('ab$d')).toBeUndefined();
    expect(decodeBase64('abcde')).toBeUndefined();
    expect(decodeBase64('a===')).toBeUndefined();
  });
});
