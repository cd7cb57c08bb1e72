/**
 * WebCrypto's key type, named without the DOM library (so the SDK type-checks with Node's
 * types alone): whatever `crypto.subtle.importKey` gives.
 */
export type WebCryptoKey = Awaited<ReturnType<typeof globalThis.crypto.subtle.importKey>>;
