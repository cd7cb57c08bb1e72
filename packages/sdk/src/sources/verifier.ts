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
    private readonly keys: () => Promise<readonly SigningKey[] | undefined>,
    private readonly requireSignature: boolean,
    private readonly logger: Logger,
  ) {}

  /** The usable flag data in `data` (the payload of an envelope, or `data` itself). */
  async verify(data: unknown, what: string): Promise<unknown> {
    const keys = await this.keys();
    if (keys !== undefined && keys.length > 0) {
      try {
        return await verifySignedFlagSet(data, keys);
      } catch (error) {
        const e = error as VexilError;
        throw new VexilError(e.code, `${what} refused: ${e.message}`, { cause: e });
      }
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
