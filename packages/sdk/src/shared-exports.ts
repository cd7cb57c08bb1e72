// What both entry points (Node and browser) export besides `createClient`.
export type { ErrorCode, EvaluationContext, FlagSetInput, JsonValue, Reason } from '@vexil/core';
export type { CacheOptions } from './cache/snapshot-cache.js';
export { ALL_FLAGS_FORMAT, type AllFlagsState, type FlagState, isAllFlagsState } from './client/all-flags.js';
export type { Context } from './client/context.js';
export type { DataOrigin } from './client/flag-store.js';
export type { Bootstrap, ClientOptions, EventOptions, SourceKind } from './client/options.js';
export type {
  AllFlagsOptions,
  ClientEvents,
  ClientStatus,
  EvaluationDetails,
  ScopedEvaluator,
  VexilClient,
  Widen,
} from './client/types.js';
export { VexilError, type VexilErrorCode } from './errors/vexil-error.js';
export type { EventStats } from './events/event-processor.js';
export { withFlag } from './frameworks/with-flag.js';
export type { BackoffOptions } from './http/backoff.js';
export type { CircuitBreakerOptions } from './http/circuit-breaker.js';
export {
  isSignedFlagSet,
  SIGNED_FORMAT,
  type SignedFlagSet,
  type SigningKey,
} from './security/signed-flag-set.js';
export type { BucketOptions, BucketRequest } from './sources/bucket-source.js';
export { consoleLogger, type Logger, silentLogger } from './util/logger.js';
