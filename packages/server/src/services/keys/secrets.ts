import { hash, randomBytes } from 'node:crypto';
import type { ApiKeyKind } from '../../stores/types.js';

/** A new secret: `vx_<kind>_` and 32 random base64url characters (192 bits). */
export function newSecret(kind: ApiKeyKind): string {
  return `vx_${kind}_${randomBytes(24).toString('base64url')}`;
}

export function newKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

/** sha256, hex: enough for random secrets of this length (no slow hash needed). One-shot: it runs on every request. */
export function hashSecret(secret: string): string {
  return hash('sha256', secret, 'hex');
}

/** The first characters of a secret, to recognise it in lists. */
export function hintOf(secret: string): string {
  return `${secret.slice(0, Math.min(secret.length - 4, secret.indexOf('_', 3) + 5))}…`;
}
