import { base64ToBytes, bytesToBase64 } from '../security/base64.js';
import type { WebCryptoKey } from '../security/web-crypto.js';

const SALT = new TextEncoder().encode('vexil-sdk-cache/1');
const INFO = new TextEncoder().encode('aes-256-gcm');

/**
 * Derives an AES-256-GCM key from a secret with HKDF-SHA256. The secret should have
 * the strength of a key (an SDK key, or 32 random bytes), not of a password.
 */
export async function deriveCacheKey(secret: string): Promise<WebCryptoKey> {
  const material = await globalThis.crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret),
    'HKDF',
    false,
    ['deriveKey'],
  );
  return globalThis.crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: SALT, info: INFO },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** Sealed text: a random 96-bit IV and the ciphertext with its tag, both base64. */
export interface Sealed {
  iv: string;
  ciphertext: string;
}

/** Encrypts text with AES-256-GCM. */
export async function seal(key: WebCryptoKey, text: string): Promise<Sealed> {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const data = await globalThis.crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    key,
    new TextEncoder().encode(text),
  );
  return { iv: bytesToBase64(iv), ciphertext: bytesToBase64(new Uint8Array(data)) };
}

/** Decrypts what `seal` produced; rejects when the key is wrong or the data was altered. */
export async function open(key: WebCryptoKey, sealed: Sealed): Promise<string> {
  const data = await globalThis.crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: base64ToBytes(sealed.iv) },
    key,
    base64ToBytes(sealed.ciphertext),
  );
  return new TextDecoder().decode(data);
}
