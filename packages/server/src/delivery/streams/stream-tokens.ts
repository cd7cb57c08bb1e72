import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { SigningKeys } from '../signing/signing-keys.js';

/** What a stream token grants: the streams of one API key, until it expires. */
export interface StreamGrant {
  readonly keyId: string;
  readonly expiresAt: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Tokens for OFREP's change-notification stream. Browsers' `EventSource` sends no
 * headers, so the stream URL carries the credential: a token naming the API key and an
 * expiry, signed with the server's Ed25519 signing key (so every replica can check it).
 * The key itself is checked again when the stream opens, and the stream closes when the
 * key stops working. A token stays the same for half its life, so the stream URL in
 * successive bulk answers is stable and providers keep their connection.
 */
export class StreamTokens {
  private readonly issued = new Map<string, { token: string; renewAt: number }>();
  private readonly publicKeys = new Map<string, KeyObject>();

  constructor(
    private readonly keys: SigningKeys,
    private readonly lifetimeMs = DAY_MS,
  ) {}

  /** A token for `apiKeyId`, reused while it has more than half its life left. */
  issue(apiKeyId: string, now = Date.now()): string {
    const held = this.issued.get(apiKeyId);
    if (held !== undefined && held.renewAt > now && held.token.includes(`.${this.keys.currentKeyId}.`))
      return held.token;
    const claims = Buffer.from(
      JSON.stringify({ k: apiKeyId, x: Math.floor((now + this.lifetimeMs) / 1000) }),
      'utf8',
    ).toString('base64url');
    const keyId = this.keys.currentKeyId ?? '';
    const { signature } = this.keys.sign(Buffer.from(`${claims}.${keyId}`, 'utf8'));
    const token = `${claims}.${keyId}.${Buffer.from(signature, 'base64').toString('base64url')}`;
    if (this.issued.size > 10_000) this.issued.clear();
    this.issued.set(apiKeyId, { token, renewAt: now + this.lifetimeMs / 2 });
    return token;
  }

  /** The grant of a token, or undefined when it is malformed, forged, signed by an unknown key, or expired. */
  check(token: string, now = Date.now()): StreamGrant | undefined {
    if (token.length > 1024) return undefined;
    const [claims, signingKeyId, signature, extra] = token.split('.');
    if (claims === undefined || signingKeyId === undefined || signature === undefined || extra !== undefined)
      return undefined;
    const publicKey = this.publicKey(signingKeyId);
    if (publicKey === undefined) return undefined;
    const data = Buffer.from(`${claims}.${signingKeyId}`, 'utf8');
    let valid = false;
    try {
      valid = verify(null, data, publicKey, Buffer.from(signature, 'base64url'));
    } catch {
      return undefined;
    }
    if (!valid) return undefined;
    let parsed: { k?: unknown; x?: unknown };
    try {
      parsed = JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as { k?: unknown; x?: unknown };
    } catch {
      return undefined;
    }
    if (typeof parsed.k !== 'string' || typeof parsed.x !== 'number') return undefined;
    const expiresAt = parsed.x * 1000;
    return expiresAt > now ? { keyId: parsed.k, expiresAt } : undefined;
  }

  private publicKey(keyId: string): KeyObject | undefined {
    const published = this.keys.publicKeys().find((k) => k.keyId === keyId);
    if (published === undefined) return undefined;
    const cacheKey = `${keyId}:${published.publicKey}`;
    let key = this.publicKeys.get(cacheKey);
    if (key === undefined) {
      key = createPublicKey({ key: Buffer.from(published.publicKey, 'base64'), format: 'der', type: 'spki' });
      this.publicKeys.set(cacheKey, key);
    }
    return key;
  }
}
