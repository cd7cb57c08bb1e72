import { VexilError } from '../errors/vexil-error.js';
import { base64ToBytes } from './base64.js';
import type { WebCryptoKey } from './web-crypto.js';

/** The envelope format of docs/protocol.md ("Signed flag sets"). */
export const SIGNED_FORMAT = 'vexil-signed-flagset/1';

/** A flag set signed by the server: Ed25519 over the UTF-8 bytes of `payload`. */
export interface SignedFlagSet {
  format: typeof SIGNED_FORMAT;
  keyId: string;
  algorithm: 'Ed25519';
  /** Base64 signature. */
  signature: string;
  /** The flag set, as JSON text. */
  payload: string;
}

/** A public key that may sign flag sets, as `GET /api/v1/sdk/signing-keys` lists them. */
export interface SigningKey {
  keyId: string;
  algorithm?: 'Ed25519' | undefined;
  /** Base64 SPKI DER. */
  publicKey: string;
}

/** Whether a value has the shape of a signed envelope (not whether its signature holds). */
export function isSignedFlagSet(value: unknown): value is SignedFlagSet {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { format?: unknown }).format === SIGNED_FORMAT &&
    typeof (value as { payload?: unknown }).payload === 'string'
  );
}

const imported = new Map<string, Promise<WebCryptoKey>>();

/**
 * Checks a signed envelope against the trusted keys and returns its payload, parsed.
 * Uses WebCrypto's Ed25519 (Node 20, Chromium, Firefox, Safari 17).
 * @throws VexilError `SIGNATURE_INVALID` naming what is wrong.
 */
export async function verifySignedFlagSet(envelope: unknown, keys: readonly SigningKey[]): Promise<unknown> {
  if (!isSignedFlagSet(envelope)) {
    throw new VexilError(
      'SIGNATURE_INVALID',
      `refusing unsigned flag data: signing keys are configured, so only "${SIGNED_FORMAT}" envelopes are accepted`,
    );
  }
  if (envelope.algorithm !== 'Ed25519') {
    throw new VexilError(
      'SIGNATURE_INVALID',
      `unsupported signature algorithm ${JSON.stringify(envelope.algorithm)}`,
    );
  }
  const key = keys.find((k) => k.keyId === envelope.keyId);
  if (key === undefined) {
    throw new VexilError(
      'SIGNATURE_INVALID',
      `flag data signed with unknown key ${JSON.stringify(envelope.keyId)}; trusted keys: ${keys.map((k) => k.keyId).join(', ') || 'none'}`,
    );
  }
  let valid = false;
  try {
    const cryptoKey = await importKey(key);
    const signature = base64ToBytes(envelope.signature);
    valid = await globalThis.crypto.subtle.verify(
      'Ed25519',
      cryptoKey,
      signature,
      new TextEncoder().encode(envelope.payload),
    );
  } catch (error) {
    throw new VexilError('SIGNATURE_INVALID', `could not check the signature: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (!valid) {
    throw new VexilError(
      'SIGNATURE_INVALID',
      `the signature of flag data signed by ${JSON.stringify(envelope.keyId)} does not match: the data was altered or signed by another key`,
    );
  }
  try {
    return JSON.parse(envelope.payload);
  } catch (error) {
    throw new VexilError('INVALID_FLAG_DATA', `signed payload is not JSON: ${(error as Error).message}`);
  }
}

function importKey(key: SigningKey): Promise<WebCryptoKey> {
  const id = `${key.keyId}:${key.publicKey}`;
  let promise = imported.get(id);
  if (promise === undefined) {
    promise = globalThis.crypto.subtle.importKey('spki', base64ToBytes(key.publicKey), 'Ed25519', false, [
      'verify',
    ]);
    promise.catch(() => imported.delete(id));
    imported.set(id, promise);
  }
  return promise;
}
