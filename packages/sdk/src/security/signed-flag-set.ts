import {
  isSignedFlagSet,
  SIGNED_FLAG_SET_FORMAT,
  SignatureError,
  type SignedFlagSet,
  type SigningPublicKey,
  verifySignedPayload,
} from '@vexil/core';
import { VexilError } from '../errors/vexil-error.js';

/** The envelope format of docs/protocol.md ("Signed flag sets"). */
export const SIGNED_FORMAT = SIGNED_FLAG_SET_FORMAT;

/** A public key that may sign flag sets, as `GET /api/v1/sdk/signing-keys` lists them. */
export type SigningKey = SigningPublicKey;

export { isSignedFlagSet, type SignedFlagSet };

/**
 * Checks a signed envelope against the trusted keys (with `@vexil/core`'s verifier,
 * WebCrypto Ed25519) and returns its payload, parsed.
 * @throws VexilError `SIGNATURE_INVALID` naming what is wrong, or `INVALID_FLAG_DATA`.
 */
export async function verifySignedFlagSet(envelope: unknown, keys: readonly SigningKey[]): Promise<unknown> {
  let payload: string;
  try {
    payload = await verifySignedPayload(envelope, keys);
  } catch (error) {
    if (error instanceof SignatureError) {
      const message =
        error.reason === 'UNSIGNED' ? `refusing unsigned flag data: ${error.message}` : error.message;
      throw new VexilError('SIGNATURE_INVALID', message, { cause: error });
    }
    throw new VexilError('SIGNATURE_INVALID', `could not check the signature: ${String(error)}`, {
      cause: error,
    });
  }
  try {
    return JSON.parse(payload);
  } catch (error) {
    throw new VexilError('INVALID_FLAG_DATA', `signed payload is not JSON: ${(error as Error).message}`);
  }
}
