/** Why a signed flag set was refused. */
export type SignatureFailure =
  | 'UNSIGNED'
  | 'MALFORMED_ENVELOPE'
  | 'UNSUPPORTED_ALGORITHM'
  | 'UNKNOWN_KEY'
  | 'BAD_SIGNATURE'
  | 'INVALID_PAYLOAD'
  | 'CRYPTO_UNAVAILABLE';

/**
 * Thrown by `verifySignedFlagSet` and `verifySignedPayload` when a signed flag set can't be
 * trusted. `code` is always `SIGNATURE_INVALID`; `reason` says what exactly is wrong.
 */
export class SignatureError extends Error {
  /** Stable error code. */
  readonly code = 'SIGNATURE_INVALID' as const;
  readonly reason: SignatureFailure;
  /** The key the envelope names, when it names one. */
  readonly keyId: string | undefined;

  constructor(reason: SignatureFailure, message: string, options: { keyId?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'SignatureError';
    this.reason = reason;
    this.keyId = options.keyId;
  }
}
