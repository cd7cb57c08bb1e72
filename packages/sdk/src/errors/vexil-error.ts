/** Stable codes for everything the SDK reports through `error` events and rejected promises. */
export type VexilErrorCode =
  | 'INVALID_OPTIONS'
  | 'AUTH_FAILED'
  | 'NETWORK_ERROR'
  | 'SERVER_ERROR'
  | 'RATE_LIMITED'
  | 'TIMEOUT'
  | 'CIRCUIT_OPEN'
  | 'INIT_TIMEOUT'
  | 'SIGNATURE_INVALID'
  | 'INVALID_FLAG_DATA'
  | 'CACHE_ERROR'
  | 'EVENTS_REJECTED'
  | 'PII_DETECTED'
  | 'SOURCE_NOT_SUPPORTED'
  | 'CLOSED';

/** Options for a `VexilError`. */
export interface VexilErrorOptions {
  /** HTTP status, when the error came from a response. */
  status?: number | undefined;
  /** Milliseconds the server asked us to wait (`Retry-After`). */
  retryAfter?: number | undefined;
  cause?: unknown;
}

/** The one error type of the SDK: a message for people and a stable `code` for programs. */
export class VexilError extends Error {
  override readonly name = 'VexilError';
  readonly code: VexilErrorCode;
  readonly status: number | undefined;
  readonly retryAfter: number | undefined;

  constructor(code: VexilErrorCode, message: string, options: VexilErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfter = options.retryAfter;
  }

  /** Whether retrying later may help (network trouble, 5xx, 429, timeouts, an open circuit). */
  get recoverable(): boolean {
    return (
      this.code === 'NETWORK_ERROR' ||
      this.code === 'SERVER_ERROR' ||
      this.code === 'RATE_LIMITED' ||
      this.code === 'TIMEOUT' ||
      this.code === 'CIRCUIT_OPEN'
    );
  }
}

/** Wraps anything thrown into a `VexilError` with the given code. */
export function toVexilError(error: unknown, code: VexilErrorCode): VexilError {
  if (error instanceof VexilError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new VexilError(code, message, { cause: error });
}
