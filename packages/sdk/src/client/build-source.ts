import { VexilError } from '../errors/vexil-error.js';
import { CircuitBreaker } from '../http/circuit-breaker.js';
import { HttpClient } from '../http/http-client.js';
import type { Platform } from '../platform/platform.js';
import type { SigningKey } from '../security/signed-flag-set.js';
import { BucketSource, bucketFileUrl } from '../sources/bucket-source.js';
import type { DataSource, SourceSink } from '../sources/data-source.js';
import { FileSource } from '../sources/file-source.js';
import { PollSource } from '../sources/poll-source.js';
import { StreamSource } from '../sources/stream-source.js';
import { FlagDataVerifier } from '../sources/verifier.js';
import type { ResolvedOptions } from './options.js';

/** The HTTP client for the Vexil server, when a server is configured. */
export function serverHttp(options: ResolvedOptions): HttpClient | undefined {
  if (options.url === undefined) return undefined;
  return new HttpClient({
    baseUrl: options.url,
    sdkKey: options.sdkKey,
    secondarySdkKey: options.secondarySdkKey,
    timeout: options.timeout,
    fetch: options.fetch,
    breaker: new CircuitBreaker(options.circuitBreaker),
    logger: options.logger,
  });
}

/**
 * The verifier for bootstraps, files and bucket files. Keys come from `signingKeys`;
 * failing that, for the bucket source with a server URL, from the server's
 * `GET /api/v1/sdk/signing-keys` — fetched again, once per key id, when data names a key
 * the list lacks (the server rotated its key since).
 */
export function makeVerifier(options: ResolvedOptions, http: HttpClient | undefined): FlagDataVerifier {
  let fetched: Promise<readonly SigningKey[] | undefined> | undefined;
  const asked = new Set<string>();
  const keys = async (unknownKeyId?: string) => {
    if (options.signingKeys !== undefined) return options.signingKeys;
    if (options.source !== 'bucket' || http === undefined) return undefined;
    if (unknownKeyId !== undefined && !asked.has(unknownKeyId)) {
      if (asked.size >= 64) asked.clear();
      asked.add(unknownKeyId);
      fetched = undefined;
    }
    fetched ??= fetchSigningKeys(http).catch((error) => {
      fetched = undefined;
      throw error;
    });
    return fetched;
  };
  return new FlagDataVerifier(keys, options.requireSignature, options.logger);
}

async function fetchSigningKeys(http: HttpClient): Promise<readonly SigningKey[]> {
  const response = await http.request('/api/v1/sdk/signing-keys', {
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) {
    throw new VexilError('SERVER_ERROR', `could not get the signing keys: ${response.status}`, {
      status: response.status,
    });
  }
  const body = (await response.json()) as { keys?: SigningKey[] };
  return Array.isArray(body.keys) ? body.keys : [];
}

/** Builds the configured data source (undefined for `offline`). */
export function buildSource(
  options: ResolvedOptions,
  platform: Platform,
  http: HttpClient | undefined,
  verifier: FlagDataVerifier,
  sink: SourceSink,
): DataSource | undefined {
  switch (options.source) {
    case 'stream':
      return new StreamSource({
        http: http!,
        baseUrl: options.url!,
        sink,
        logger: options.logger,
        retry: options.retry,
        pollInterval: options.pollInterval,
        idleTimeout: options.streamIdleTimeout,
      });
    case 'poll':
      return new PollSource(http!, sink, options.pollInterval, options.retry);
    case 'bucket': {
      const bucket = options.bucket!;
      const signRequest = bucket.signRequest;
      const bucketFetch: typeof fetch =
        signRequest === undefined
          ? options.fetch
          : async (input, init) => {
              const headers = Object.fromEntries(new Headers(init?.headers).entries());
              const signed = await signRequest({ url: String(input), method: 'GET', headers });
              return options.fetch(signed.url, { ...init, headers: signed.headers });
            };
      const bucketHttp = new HttpClient({
        baseUrl: '',
        sdkKey: undefined,
        secondarySdkKey: undefined,
        timeout: options.timeout,
        fetch: bucketFetch,
        breaker: new CircuitBreaker(options.circuitBreaker),
        logger: options.logger,
        authIsFatal: false,
      });
      return new BucketSource(
        bucketHttp,
        bucketFileUrl(bucket),
        sink,
        verifier,
        options.pollInterval,
        options.retry,
      );
    }
    case 'file': {
      if (platform.readFile === undefined) {
        throw new VexilError('SOURCE_NOT_SUPPORTED', 'source "file" needs a file system: use it in Node');
      }
      const file = options.file!;
      return new FileSource(
        file.path,
        platform.readFile,
        sink,
        verifier,
        file.watch,
        options.pollInterval,
        options.retry,
      );
    }
    case 'offline':
      return undefined;
  }
}
