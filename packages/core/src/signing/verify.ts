import type { FlagSet } from '../compile/flag-set.js';
import { SignatureError } from '../errors/signature-error.js';
import { Utf8Buffer } from '../hash/utf8-buffer.js';
import { parseFlagSet } from '../parse/parse-flag-set.js';
import { decodeBase64 } from './base64.js';

/** The envelope format a Vexil server signs flag sets in (docs/protocol.md, "Signed flag sets"). */
export const SIGNED_FLAG_SET_FORMAT = 'vexil-signed-flagset/1';

/** A flag set signed with Ed25519 over the UTF-8 bytes of `payload`. */
export interface SignedFlagSet {
  readonly format: typeof SIGNED_FLAG_SET_FORMAT;
  readonly keyId: string;
  readonly algorithm: 'Ed25519';
  /** Base64 Ed25519 signature. */
  readonly signature: string;
  /** The flag set, as JSON text. */
  readonly payload: string;
}

/** A public key that may sign flag sets, as `GET /api/v1/sdk/signing-keys` lists them. */
export interface SigningPublicKey {
  readonly keyId: string;
  readonly algorithm?: 'Ed25519' | undefined;
  /** Base64 SPKI DER. */
  readonly publicKey: string;
}

/** What the verifier needs of WebCrypto (named here so the core needs no DOM or Node types). */
interface SubtleLike {
  importKey(
    format: 'spki',
    key: Uint8Array,
    algorithm: 'Ed25519',
    extractable: false,
    usages: ['verify'],
  ): Promise<unknown>;
  verify(algorithm: 'Ed25519', key: unknown, signature: Uint8Array, data: Uint8Array): Promise<boolean>;
}

/** Whether a value has the shape of a signed envelope (not whether its signature holds). */
export function isSignedFlagSet(value: unknown): value is SignedFlagSet {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.format === SIGNED_FLAG_SET_FORMAT &&
    typeof v.keyId === 'string' &&
    typeof v.algorithm === 'string' &&
    typeof v.signature === 'string' &&
    typeof v.payload === 'string'
  );
}

/**
 * Checks a signed envelope against trusted public keys and returns its payload text.
 * Uses WebCrypto's Ed25519 (`globalThis.crypto.subtle`: Node 20, Deno, Bun, Chromium,
 * Firefox, Safari 17, edge workers).
 * @throws SignatureError (`code` `SIGNATURE_INVALID`, `reason` says why)
 */
export async function verifySignedPayload(
  envelope: unknown,
  publicKeys: readonly SigningPublicKey[],
): Promise<string> {
  if (typeof envelope === 'string') envelope = parseJson(envelope) ?? envelope;
  if (
    typeof envelope !== 'object' ||
    envelope === null ||
    (envelope as { format?: unknown }).format === undefined
  ) {
    throw new SignatureError(
      'UNSIGNED',
      `expected a signed flag set ("${SIGNED_FLAG_SET_FORMAT}" envelope), got unsigned data`,
    );
  }
  if (!isSignedFlagSet(envelope)) {
    throw new SignatureError(
      'MALFORMED_ENVELOPE',
      `not a "${SIGNED_FLAG_SET_FORMAT}" envelope: it needs format, keyId, algorithm, signature and payload strings`,
    );
  }
  const { keyId } = envelope;
  if (envelope.algorithm !== 'Ed25519') {
    throw new SignatureError(
      'UNSUPPORTED_ALGORITHM',
      `unsupported signature algorithm ${JSON.stringify(envelope.algorithm)}`,
      {
        keyId,
      },
    );
  }
  const key = publicKeys.find((k) => k.keyId === keyId);
  if (key === undefined) {
    throw new SignatureError(
      'UNKNOWN_KEY',
      `signed with unknown key ${JSON.stringify(keyId)}; trusted keys: ${publicKeys.map((k) => k.keyId).join(', ') || 'none'}`,
      { keyId },
    );
  }
  const signature = decodeBase64(envelope.signature);
  if (signature === undefined || signature.length !== 64) {
    throw new SignatureError('BAD_SIGNATURE', 'the signature is not 64 bytes of base64', { keyId });
  }
  const subtle = (globalThis as { crypto?: { subtle?: SubtleLike } }).crypto?.subtle;
  if (subtle === undefined) {
    throw new SignatureError(
      'CRYPTO_UNAVAILABLE',
      'WebCrypto (globalThis.crypto.subtle) is not available here',
      { keyId },
    );
  }
  let valid: boolean;
  try {
    valid = await subtle.verify('Ed25519', await importKey(subtle, key), signature, utf8(envelope.payload));
  } catch (error) {
    if (error instanceof SignatureError) throw error;
    throw new SignatureError(
      'CRYPTO_UNAVAILABLE',
      `could not check the signature: ${(error as Error).message}`,
      {
        keyId,
        cause: error,
      },
    );
  }
  if (!valid) {
    throw new SignatureError(
      'BAD_SIGNATURE',
      `the signature by ${JSON.stringify(keyId)} does not match: the data was altered or signed by another key`,
      { keyId },
    );
  }
  return envelope.payload;
}

/**
 * Checks a signed envelope (an object, or its JSON text) against trusted public keys and
 * returns the flag set it carries, parsed.
 * @throws SignatureError when the signature can't be trusted; FlagSetParseError when the
 * signed payload is not a valid flag set.
 * @example
 * const { keys } = await (await fetch(`${vexil}/api/v1/sdk/signing-keys`)).json();
 * const set = await verifySignedFlagSet(await (await fetch(bucketUrl)).json(), keys);
 */
export async function verifySignedFlagSet(
  envelope: unknown,
  publicKeys: readonly SigningPublicKey[],
): Promise<FlagSet> {
  const payload = await verifySignedPayload(envelope, publicKeys);
  const data = parseJson(payload);
  if (data === undefined) {
    throw new SignatureError('INVALID_PAYLOAD', 'the signed payload is not JSON', {
      keyId: (envelope as SignedFlagSet).keyId,
    });
  }
  return parseFlagSet(data);
}

const MAX_CACHED_KEYS = 64;
const imported = new Map<string, Promise<unknown>>();

function importKey(subtle: SubtleLike, key: SigningPublicKey): Promise<unknown> {
  const id = `${key.keyId}\n${key.publicKey}`;
  let promise = imported.get(id);
  if (promise === undefined) {
    const der = decodeBase64(key.publicKey);
    if (der === undefined) {
      return Promise.reject(
        new SignatureError('UNKNOWN_KEY', `public key ${JSON.stringify(key.keyId)} is not base64 SPKI DER`, {
          keyId: key.keyId,
        }),
      );
    }
    promise = subtle.importKey('spki', der, 'Ed25519', false, ['verify']);
    promise.catch(() => imported.delete(id));
    if (imported.size >= MAX_CACHED_KEYS) imported.clear();
    imported.set(id, promise);
  }
  return promise;
}

function utf8(text: string): Uint8Array {
  const buffer = new Utf8Buffer().hold(text);
  return buffer.bytes.subarray(0, buffer.length);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
