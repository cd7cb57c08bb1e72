import type { ErrorCode, JsonValue, Reason } from '@vexil/core';
import type { VexilError } from '../errors/vexil-error.js';
import type { EventStats } from '../events/event-processor.js';
import type { AllFlagsState } from './all-flags.js';
import type { Context } from './context.js';
import type { DataOrigin } from './flag-store.js';

/** The full outcome of an evaluation. */
export interface EvaluationDetails<T> {
  key: string;
  value: T;
  /** The variant served; absent when the default was returned. */
  variant?: string | undefined;
  reason: Reason;
  errorCode?: ErrorCode | undefined;
  errorMessage?: string | undefined;
  /** The rule that matched (its id, or its index), `$target` or `$override:<segment>`. */
  ruleId?: string | undefined;
  /** The experiment the context was allocated to. */
  experiment?: string | undefined;
  /** The flag's free-form metadata. */
  metadata?: Readonly<Record<string, JsonValue>> | undefined;
}

/** The type a default value stands for: `'x'` → `string`, `true` → `boolean`, `3` → `number`. */
export type Widen<T> = T extends boolean
  ? boolean
  : T extends string
    ? string
    : T extends number
      ? number
      : T;

/** Options for `allFlags`. */
export interface AllFlagsOptions {
  /** Only flags marked `clientVisible` — use it when the state goes to a browser. */
  clientVisibleOnly?: boolean;
}

/** Evaluation bound to one context (what the fastify plugin and Express middleware put on requests). */
export interface ScopedEvaluator {
  /** The context used (the client's default context merged with the request's). */
  readonly context: Context;
  getBoolean(key: string, defaultValue: boolean): boolean;
  getString(key: string, defaultValue: string): string;
  getNumber(key: string, defaultValue: number): number;
  getJson<T extends JsonValue>(key: string, defaultValue: T): Widen<T>;
  getDetails<T extends JsonValue>(key: string, defaultValue: T): EvaluationDetails<Widen<T>>;
  allFlags(options?: AllFlagsOptions): AllFlagsState;
  track(event: string, value?: number): void;
}

/** Where the client stands. */
export type ClientStatus = 'initializing' | 'ready' | 'stale' | 'error' | 'closed';

/** Events the client emits, with their payloads. */
export interface ClientEvents {
  /** The client has flags to serve: from the server, a file, or (when the server can't be reached) the cache or bootstrap. */
  ready: { origin: DataOrigin; version: number };
  /** Flags changed; `keys` lists the flags whose value may differ. */
  update: { keys: string[]; version: number };
  /** Something went wrong; the client keeps serving the last good flags. */
  error: VexilError;
  /** Contact with the source was lost; values may be out of date. */
  stale: { error: VexilError };
  /** Back in contact after `stale`. */
  recovered: { version: number };
}

/** The Vexil client: local, synchronous evaluation that never throws. */
export interface VexilClient {
  /** Evaluates a boolean flag; the default when it can't. */
  getBoolean(key: string, defaultValue: boolean, context?: Context): boolean;
  getString(key: string, defaultValue: string, context?: Context): string;
  getNumber(key: string, defaultValue: number, context?: Context): number;
  getJson<T extends JsonValue>(key: string, defaultValue: T, context?: Context): Widen<T>;
  /** Value, variant, reason, error code, rule id, experiment and metadata. */
  getDetails<T extends JsonValue>(
    key: string,
    defaultValue: T,
    context?: Context,
  ): EvaluationDetails<Widen<T>>;
  /** Every flag evaluated for a context, as JSON that can bootstrap a browser client. */
  allFlags(context?: Context, options?: AllFlagsOptions): AllFlagsState;
  /** Records an event (a conversion, a purchase) for a context, with an optional numeric value. */
  track(event: string, context?: Context, value?: number): void;

  /** Replaces the default context, merged under every per-call context. */
  setContext(context: Context): void;
  getContext(): Context;
  /** Sets the default context to `{ targetingKey: key, ...attributes }`. */
  identify(key: string, attributes?: Omit<Context, 'targetingKey'>): void;
  /** Back to an anonymous (empty) default context. */
  reset(): void;
  /** An evaluator bound to a context (merged with the default context). */
  forContext(context: Context): ScopedEvaluator;

  /** Resolves once the client is ready; rejects on timeout (default 10 s) or a fatal error. */
  waitForReady(options?: { timeout?: number }): Promise<void>;
  isReady(): boolean;
  readonly status: ClientStatus;
  /** Version of the flag data held (0 when none). */
  readonly version: number;
  on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void;
  off<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): void;
  /** Fetches flags now (poll, bucket, file, and the stream's snapshot). */
  refresh(): Promise<void>;
  /** Sends queued events now. */
  flush(): Promise<void>;
  eventStats(): EventStats;
  /** Stops the source, flushes events, releases files. Evaluations keep serving the last values. */
  close(): Promise<void>;
}
