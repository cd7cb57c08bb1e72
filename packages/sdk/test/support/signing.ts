import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { SignedFlagSet, SigningKey } from '../../src/index.js';

/** An Ed25519 key pair as the server would hold it. */
export interface TestSigner {
  keyId: string;
  publicKey: SigningKey;
  sign(flagSet: unknown): SignedFlagSet;
}

export function makeSigner(keyId = 'k-test'): TestSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    keyId,
    publicKey: {
      keyId,
      algorithm: 'Ed25519',
      publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    },
    sign: (flagSet) => signWith(privateKey, keyId, JSON.stringify(flagSet)),
  };
}

function signWith(privateKey: KeyObject, keyId: string, payload: string): SignedFlagSet {
  return {
    format: 'vexil-signed-flagset/1',
    keyId,
    algorithm: 'Ed25519',
    signature: sign(null, Buffer.from(payload, 'utf8'), privateKey).toString('base64'),
    payload,
  };
}
