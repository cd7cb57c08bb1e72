import { VexilError } from '../errors/vexil-error.js';
import type { Logger } from '../util/logger.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { parseRetryAfter } from './retry-after.js';

/** What the HTTP client needs to know. */
export interface HttpClientOptions {
  /** Server base URL, without a trailing slash. */
  baseUrl: string;
  sdkKey: string | undefined;
  secondarySdkKey: string | undefined;
  /** Milliseconds to wait for response headers. */
  timeout: number;
  fetch: typeof fetch;
  breaker: CircuitBreaker;
  logger: Logger;
  /** Treat 401/403 as a refused key: stop for good (default true; false for buckets). */
  authIsFatal?: boolean;
}

/** Per-request settings. */
export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  signal?: AbortSignal | undefined;
  /** Let the request outlive the page (browsers; bodies up to 64 KiB). */
  keepalive?: boolean;
}

/**
 * Talks to the Vexil server: adds the key, applies the timeout and the circuit breaker,
 * rotates to the secondary key when the primary is refused, and turns statuses into
 * `VexilError`s: 401/403 → `AUTH_FAILED` (and no further requests), 429 → `RATE_LIMITED`
 * with `retryAfter`, 5xx → `SERVER_ERROR`, network trouble → `NETWORK_ERROR` / `TIMEOUT`.
 * Other responses (2xx, 304, other 4xx) are returned as they are.
 */
export class HttpClient {
  private usingSecondary = false;
  private refused: VexilError | undefined;

  constructor(private readonly options: HttpClientOptions) {}

  /** The error that stopped this client (both keys refused), if any. */
  get authError(): VexilError | undefined {
    return this.refused;
  }

  /** Whether the secondary key is in use. */
  get rotated(): boolean {
    return this.usingSecondary;
  }

  /** A `fetch` for EventSource: same rules as `request`, but errors become rejected fetches. */
  readonly streamFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const headers = new Headers(init?.headers);
    return this.send(String(input instanceof Request ? input.url : input), {
      method: 'GET',
      headers: Object.fromEntries(headers.entries()),
      signal: init?.signal ?? undefined,
    });
  };

  /** Sends a request to `path` (relative to the base URL) or to an absolute URL. */
  request(path: string, options: RequestOptions = {}): Promise<Response> {
    const url = /^https?:\/\//.test(path) ? path : `${this.options.baseUrl}${path}`;
    return this.send(url, options);
  }

  private async send(url: string, options: RequestOptions): Promise<Response> {
    if (this.refused !== undefined) throw this.refused;
    const { breaker } = this.options;
    if (!breaker.tryAcquire()) {
      throw new VexilError('CIRCUIT_OPEN', 'the server failed repeatedly; waiting before probing it again', {
        retryAfter: breaker.retryIn,
      });
    }
    let verdict = false;
    try {
      let response = await this.attempt(url, options, this.currentKey());
      if (
        isAuthStatus(response.status) &&
        !this.usingSecondary &&
        this.options.secondarySdkKey !== undefined
      ) {
        await discard(response);
        this.usingSecondary = true;
        this.options.logger.warn(
          `the primary SDK key was refused (${response.status}); using the secondary key`,
        );
        response = await this.attempt(url, options, this.currentKey());
      }
      if (response.status >= 500) {
        breaker.recordFailure();
        verdict = true;
        await discard(response);
        throw new VexilError('SERVER_ERROR', `the server answered ${response.status} for ${pathOf(url)}`, {
          status: response.status,
        });
      }
      breaker.recordSuccess();
      verdict = true;
      if (isAuthStatus(response.status) && this.options.authIsFatal !== false) {
        this.refused = await authError(response, url);
        throw this.refused;
      }
      if (response.status === 429) {
        const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
        await discard(response);
        throw new VexilError('RATE_LIMITED', `the server asked to slow down (429) on ${pathOf(url)}`, {
          status: 429,
          retryAfter,
        });
      }
      return response;
    } catch (error) {
      if (error instanceof VexilError) throw error;
      if (options.signal?.aborted)
        throw new VexilError('CLOSED', 'the request was cancelled', { cause: error });
      breaker.recordFailure();
      verdict = true;
      const timedOut = (error as Error).name === 'TimeoutError';
      throw new VexilError(
        timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
        timedOut
          ? `no answer from ${pathOf(url)} within ${this.options.timeout} ms`
          : `could not reach ${originOf(url)}: ${describe(error)}`,
        { cause: error },
      );
    } finally {
      if (!verdict) breaker.release();
    }
  }

  private currentKey(): string | undefined {
    return this.usingSecondary ? this.options.secondarySdkKey : this.options.sdkKey;
  }

  private async attempt(url: string, options: RequestOptions, key: string | undefined): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (key !== undefined) headers.Authorization = `Bearer ${key}`;
    // The timeout covers the wait for response headers only: a stream's body may last for hours.
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException('request timed out', 'TimeoutError')),
      this.options.timeout,
    );
    const signal =
      options.signal === undefined ? timeout.signal : AbortSignal.any([options.signal, timeout.signal]);
    try {
      // `cache` is not in Node's RequestInit type; browsers must not answer from their HTTP cache.
      const init = { method: options.method ?? 'GET', headers, signal, cache: 'no-store' } as RequestInit;
      if (options.body !== undefined) init.body = options.body;
      if (options.keepalive === true) init.keepalive = true;
      return await this.options.fetch(url, init);
    } catch (error) {
      if (timeout.signal.aborted && !options.signal?.aborted) throw timeout.signal.reason;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }
}

function isAuthStatus(status: number): boolean {
  return status === 401 || status === 403;
}

async function authError(response: Response, url: string): Promise<VexilError> {
  const detail = await response.text().then(
    (text) => text.slice(0, 300),
    () => '',
  );
  const why =
    response.status === 401
      ? 'the SDK key is missing, unknown or revoked'
      : "the key's kind may not use this route (for example a client key where a server key is needed)";
  return new VexilError(
    'AUTH_FAILED',
    `the server refused the SDK key with ${response.status} on ${pathOf(url)}: ${why}; not retrying${detail ? ` (server said: ${detail})` : ''}`,
    { status: response.status },
  );
}

async function discard(response: Response): Promise<void> {
  await response.body?.cancel().catch(() => {});
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
