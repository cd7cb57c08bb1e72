import type { FlagSetInput } from '@vexil/core';
import type { CacheOptions } from '../cache/snapshot-cache.js';
import { VexilError } from '../errors/vexil-error.js';
import type { BackoffOptions } from '../http/backoff.js';
import type { CircuitBreakerOptions } from '../http/circuit-breaker.js';
import type { SignedFlagSet, SigningKey } from '../security/signed-flag-set.js';
import type { BucketOptions } from '../sources/bucket-source.js';
import { consoleLogger, type Logger } from '../util/logger.js';
import type { AllFlagsState } from './all-flags.js';
import type { Context } from './context.js';
import type { ClientEvents } from './types.js';

/** Where flags come from. */
export type SourceKind = 'stream' | 'poll' | 'bucket' | 'file' | 'offline';

/** Initial flags: a flag set, a signed envelope, an `allFlags` state, or any of them as JSON text. */
export type Bootstrap = FlagSetInput | SignedFlagSet | AllFlagsState | string;

/** Settings for events (exposures and `track`). */
export interface EventOptions {
  /** Milliseconds between sends (default 5 000). */
  flushInterval?: number;
  /** Events per batch (default 100, at most 1 000). */
  batchSize?: number;
  /** Events kept while the server can't take them; more are dropped and counted (default 10 000). */
  maxQueueSize?: number;
  /** Record an exposure when a flag is evaluated (default true). */
  exposures?: boolean;
  /** One exposure per flag, variant and context key within this many ms (default 300 000). */
  exposureWindow?: number;
  /**
   * Node: write accepted events to disk before sending and recover them after a crash
   * (default true; a string is the directory, default `<os tmpdir>/vexil-sdk-events`).
   */
  persist?: boolean | string;
}

/** Options of `createClient`. Only `sdkKey` (or offline data) is needed. */
export interface ClientOptions {
  /** The Vexil server, e.g. `http://localhost:4280` (the default in Node). */
  url?: string;
  /** A `vx_server_…` or `vx_client_…` key; the environment is implied by the key. */
  sdkKey?: string;
  /** Used when the server refuses `sdkKey` (key rotation). */
  secondarySdkKey?: string;
  /** Where flags come from (default `stream`). */
  source?: SourceKind;
  /** Milliseconds between polls (poll, bucket, watched file, and stream fallback); jittered ±10 % (default 30 000). */
  pollInterval?: number;
  /** Flags to serve before any other data arrives (and the only data in `offline` mode). */
  bootstrap?: Bootstrap;
  /** Public keys trusted to sign bootstraps, files and bucket files (`GET /api/v1/sdk/signing-keys`). */
  signingKeys?: readonly SigningKey[];
  /** Refuse unsigned data even when no keys are configured (default: true for `bucket`, else false). */
  requireSignature?: boolean;
  /** For `source: 'file'` (Node): the path, and whether to re-read it every `pollInterval`. */
  file?: string | { path: string; watch?: boolean };
  /** For `source: 'bucket'`. */
  bucket?: BucketOptions;
  /** Keep the last good snapshot on disk (Node) or in localStorage (browser); `false` to disable. Default on. */
  cache?: boolean | CacheOptions;
  /** Milliseconds to wait for an HTTP response (default 10 000). */
  timeout?: number;
  logger?: Logger;
  /** Event listeners, registered before anything can happen. */
  on?: { [K in keyof ClientEvents]?: (payload: ClientEvents[K]) => void };
  /** Events settings; `false` sends no events at all. */
  events?: boolean | EventOptions;
  /** The initial default context. */
  context?: Context;
  /** Attributes private for every context. */
  privateAttributes?: readonly string[];
  /** Strict PII mode: context keys and event names that look like e-mail addresses or card numbers are never sent as they are. */
  strictPii?: boolean;
  /** Backoff between retries (default 1 s doubling up to 30 s, with jitter). */
  retry?: BackoffOptions;
  circuitBreaker?: CircuitBreakerOptions;
  /** Reconnect when the stream sent nothing (not even a heartbeat) for this long (default 45 000 ms). */
  streamIdleTimeout?: number;
  /** The `fetch` to use (default `globalThis.fetch`). */
  fetch?: typeof fetch;
  /**
   * Compile flag rules to JavaScript functions (`@vexil/core`'s `generateCode`, default true).
   * `false` keeps to the interpreter: for pages whose Content-Security-Policy has no
   * 'unsafe-eval', which would otherwise report one refused `new Function` (and fall back anyway).
   */
  generateCode?: boolean;
}

/** Options with every default filled in. */
export interface ResolvedOptions {
  url: string | undefined;
  sdkKey: string | undefined;
  secondarySdkKey: string | undefined;
  source: SourceKind;
  pollInterval: number;
  bootstrap: Bootstrap | undefined;
  signingKeys: readonly SigningKey[] | undefined;
  requireSignature: boolean;
  file: { path: string; watch: boolean } | undefined;
  bucket: BucketOptions | undefined;
  cache: CacheOptions | undefined;
  timeout: number;
  logger: Logger;
  on: ClientOptions['on'];
  events: (Required<Omit<EventOptions, 'persist'>> & { persist: string | boolean }) | undefined;
  context: Context | undefined;
  privateAttributes: readonly string[];
  strictPii: boolean;
  retry: BackoffOptions;
  circuitBreaker: CircuitBreakerOptions;
  streamIdleTimeout: number;
  fetch: typeof fetch;
  generateCode: boolean;
}

const SOURCES: readonly SourceKind[] = ['stream', 'poll', 'bucket', 'file', 'offline'];

const DEFAULT_EVENTS = {
  flushInterval: 5_000,
  batchSize: 100,
  maxQueueSize: 10_000,
  exposures: true,
  exposureWindow: 300_000,
  persist: true,
} satisfies Required<EventOptions>;

/** Checks the options and fills in the defaults. @throws VexilError `INVALID_OPTIONS` naming the option. */
export function resolveOptions(options: ClientOptions, defaultUrl: string | undefined): ResolvedOptions {
  const source = options.source ?? 'stream';
  if (!SOURCES.includes(source)) {
    invalid('source', `must be one of ${SOURCES.join(', ')}, got ${JSON.stringify(source)}`);
  }
  const needsServer = source === 'stream' || source === 'poll';
  const url = (options.url ?? (needsServer ? defaultUrl : undefined))?.replace(/\/+$/, '');
  if (needsServer) {
    if (url === undefined) invalid('url', `is required for source "${source}"`);
    if (!/^https?:\/\//.test(url!)) invalid('url', `must be an http(s) URL, got ${JSON.stringify(url)}`);
    if (!options.sdkKey) invalid('sdkKey', `is required for source "${source}"`);
  }
  if (source === 'bucket' && options.bucket?.url === undefined)
    invalid('bucket.url', 'is required for source "bucket"');
  const file = typeof options.file === 'string' ? { path: options.file, watch: false } : options.file;
  if (source === 'file' && !file?.path) invalid('file', 'is required for source "file"');
  const events =
    options.events === false ||
    !options.sdkKey ||
    url === undefined ||
    source === 'offline' ||
    source === 'file'
      ? undefined
      : { ...DEFAULT_EVENTS, ...(options.events === true ? {} : options.events) };
  if (events !== undefined) {
    for (const name of ['flushInterval', 'batchSize', 'maxQueueSize', 'exposureWindow'] as const) {
      if (!(events[name] > 0)) invalid(`events.${name}`, `must be a positive number, got ${events[name]}`);
    }
    events.batchSize = Math.min(events.batchSize, 1000);
  }
  const pollInterval = options.pollInterval ?? 30_000;
  if (!(pollInterval > 0)) invalid('pollInterval', `must be a positive number of ms, got ${pollInterval}`);
  const timeout = options.timeout ?? 10_000;
  if (!(timeout > 0)) invalid('timeout', `must be a positive number of ms, got ${timeout}`);
  const fetchFn = options.fetch ?? globalThis.fetch?.bind(globalThis);
  if (typeof fetchFn !== 'function' && (needsServer || source === 'bucket')) {
    invalid('fetch', 'is required: this runtime has no global fetch');
  }
  return {
    url,
    sdkKey: options.sdkKey,
    secondarySdkKey: options.secondarySdkKey,
    source,
    pollInterval,
    bootstrap: options.bootstrap,
    signingKeys: options.signingKeys,
    requireSignature: options.requireSignature ?? source === 'bucket',
    file: file === undefined ? undefined : { path: file.path, watch: file.watch ?? false },
    bucket: options.bucket,
    cache:
      options.cache === false || source === 'offline' || source === 'file'
        ? undefined
        : cacheOf(options.cache),
    timeout,
    logger: options.logger ?? consoleLogger,
    on: options.on,
    events,
    context: options.context,
    privateAttributes: options.privateAttributes ?? [],
    strictPii: options.strictPii ?? false,
    retry: options.retry ?? {},
    circuitBreaker: options.circuitBreaker ?? {},
    streamIdleTimeout: options.streamIdleTimeout ?? 45_000,
    fetch: fetchFn,
    generateCode: options.generateCode !== false,
  };
}

function cacheOf(cache: true | CacheOptions | undefined): CacheOptions {
  return cache === undefined || cache === true ? {} : cache;
}

function invalid(option: string, message: string): never {
  throw new VexilError('INVALID_OPTIONS', `${option} ${message}`);
}
