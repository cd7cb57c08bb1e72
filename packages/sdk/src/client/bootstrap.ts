import { VexilError } from '../errors/vexil-error.js';
import { isSignedFlagSet } from '../security/signed-flag-set.js';
import type { FlagDataVerifier } from '../sources/verifier.js';
import { isAllFlagsState } from './all-flags.js';
import type { FlagStore, StoreResult } from './flag-store.js';
import type { Bootstrap } from './options.js';

/**
 * Puts the bootstrap into the store. Plain data is used at once (synchronously, so the
 * first evaluation already sees it); signed data, or any data when signing keys are
 * configured, is used once its signature checks out. Resolves to what happened.
 */
export function applyBootstrap(
  bootstrap: Bootstrap,
  store: FlagStore,
  verifier: FlagDataVerifier,
  mustVerify: boolean,
): StoreResult | Promise<StoreResult> {
  let data: unknown = bootstrap;
  if (typeof bootstrap === 'string') {
    try {
      data = JSON.parse(bootstrap);
    } catch (error) {
      return reject('INVALID_FLAG_DATA', `bootstrap is not JSON: ${(error as Error).message}`);
    }
  }
  if (isAllFlagsState(data)) {
    if (mustVerify) {
      return reject(
        'SIGNATURE_INVALID',
        'bootstrap refused: an allFlags state cannot be signed, and a signature is required',
      );
    }
    return store.holdValues(data, 'bootstrap');
  }
  if (!mustVerify && !isSignedFlagSet(data)) return store.replace(data, 'bootstrap');
  return verifier.verify(data, 'bootstrap').then(
    (payload) => store.replace(payload, 'bootstrap'),
    (error: VexilError) => ({ status: 'rejected' as const, error }),
  );
}

function reject(code: 'INVALID_FLAG_DATA' | 'SIGNATURE_INVALID', message: string): StoreResult {
  return { status: 'rejected', error: new VexilError(code, message) };
}
