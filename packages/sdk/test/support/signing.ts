import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { SignedFlagSet, SigningKey } from '../../src/index.js';

/** An Ed25519 key pair as the server would hold it. */
export interface TestSigner {
  keyId: string;
  publicKey: SigningKey;
  /** The private key as base64 PKCS#8 DER (what `VEXIL_SIGNING_KEY` takes). */
  privateKeyBase64: string;
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
    privateKeyBase64: privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64'),
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
