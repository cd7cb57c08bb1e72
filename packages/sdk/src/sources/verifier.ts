import { SignatureError } from '@vexil/core';
import { VexilError } from '../errors/vexil-error.js';
import { isSignedFlagSet, type SigningKey, verifySignedFlagSet } from '../security/signed-flag-set.js';
import type { Logger } from '../util/logger.js';

/**
 * Decides what flag data from a bootstrap, a file or a bucket may be used. With signing
 * keys, only a correctly signed envelope is accepted; without, an envelope's payload is
 * used unchecked (with a warning) and plain flag sets are used as they are — unless
 * `requireSignature` is set.
 */
export class FlagDataVerifier {
  private warned = false;

  constructor(
    /** The trusted keys; given the key id of data signed by a key they lack, they may be fetched again. */
    private readonly keys: (unknownKeyId?: string) => Promise<readonly SigningKey[] | undefined>,
    private readonly requireSignature: boolean,
    private readonly logger: Logger,
  ) {}

  /** The usable flag data in `data` (the payload of an envelope, or `data` itself). */
  async verify(data: unknown, what: string): Promise<unknown> {
    const keys = await this.keys();
    if (keys !== undefined && keys.length > 0) {
      let e: VexilError;
      try {
        return await verifySignedFlagSet(data, keys);
      } catch (error) {
        e = error as VexilError;
      }
      const keyId = unknownKeyId(e);
      const fresh = keyId === undefined ? undefined : await this.keys(keyId).catch(() => undefined);
      if (fresh !== undefined && fresh !== keys && fresh.length > 0) {
        try {
          return await verifySignedFlagSet(data, fresh);
        } catch (error) {
          e = error as VexilError;
        }
      }
      throw new VexilError(e.code, `${what} refused: ${e.message}`, { cause: e });
    }
    if (this.requireSignature) {
      throw new VexilError(
        'SIGNATURE_INVALID',
        `${what} refused: a signature is required but no signing keys are configured (set signingKeys)`,
      );
    }
    if (isSignedFlagSet(data)) {
      if (!this.warned) this.logger.warn(`${what} is signed but no signingKeys are configured: not checked`);
      this.warned = true;
      try {
        return JSON.parse(data.payload);
      } catch (error) {
        throw new VexilError(
          'INVALID_FLAG_DATA',
          `${what}: signed payload is not JSON: ${(error as Error).message}`,
        );
      }
    }
    return data;
  }
}

/** The key id of data signed by a key not among the trusted ones, if that is what went wrong. */
function unknownKeyId(error: VexilError): string | undefined {
  const cause = error.cause;
  return cause instanceof SignatureError && cause.reason === 'UNKNOWN_KEY' ? cause.keyId : undefined;
}
