import {
  type EvaluateOptions,
  type EvaluationResult,
  evaluate,
  type FlagType,
  type JsonValue,
} from '@vexil/core';
import { VexilError } from '../errors/vexil-error.js';
import { createEvents } from '../events/create-events.js';
import type { EventProcessor } from '../events/event-processor.js';
import type { EventRecorder } from '../events/event-recorder.js';
import type { ExposureRing } from '../events/exposure-ring.js';
import type { HttpClient } from '../http/http-client.js';
import type { Platform } from '../platform/platform.js';
import type { DataSource, SourceSink } from '../sources/data-source.js';
import type { AllFlagsState } from './all-flags.js';
import { buildSource, makeVerifier, serverHttp } from './build-source.js';
import { CacheKeeper } from './cache-keeper.js';
import { type Context, emptyContext, mergeContexts } from './context.js';
import { DataFlow } from './data-flow.js';
import { Emitter } from './emitter.js';
import { allFlagsState, evaluateHeld, failure, toDetails } from './evaluation.js';
import { FlagStore } from './flag-store.js';
import type { ResolvedOptions } from './options.js';
import { Readiness } from './readiness.js';
import type {
  AllFlagsOptions,
  ClientEvents,
  EvaluationDetails,
  ScopedEvaluator,
  VexilClient,
  Widen,
} from './types.js';

const BOOLEAN: EvaluateOptions<never> = Object.freeze({ type: 'boolean' });

/** The client behind `createClient`. Internal: the public surface is the `VexilClient` interface. */
export class VexilClientImpl implements VexilClient {
  private readonly store: FlagStore;
  private readonly emitter: Emitter<ClientEvents>;
  private readonly readiness = new Readiness();
  private readonly http: HttpClient | undefined;
  private readonly source: DataSource | undefined;
  private readonly cache: CacheKeeper | undefined;
  private readonly processor: EventProcessor | undefined;
  private readonly recorder: EventRecorder | undefined;
  /** Where evaluations append exposures, when they are on (a plain field: it is read on every evaluation). */
  private readonly exposures: ExposureRing | undefined;
  private defaultContext: Context;
  private readonly flow: DataFlow;
  private unhookPageHide: (() => void) | undefined;
  /** Where data enters the client (sources, and the test client). */
  protected readonly dataSink: SourceSink;

  constructor(
    private readonly options: ResolvedOptions,
    platform: Platform,
  ) {
    this.store = new FlagStore(options.generateCode);
    const logger = options.logger;
    this.emitter = new Emitter((error) => logger.error('an event listener threw', error));
    for (const [event, listener] of Object.entries(options.on ?? {})) {
      if (typeof listener === 'function') this.emitter.on(event as keyof ClientEvents, listener as never);
    }
    this.defaultContext = options.context ?? emptyContext();
    this.http = serverHttp(options);
    const verifier = makeVerifier(options, this.http);
    const onError = (error: VexilError) => this.flow.report(error, false);
    this.cache = CacheKeeper.create(options, platform, this.store, onError);
    this.flow = new DataFlow(this.store, this.readiness, this.emitter, logger, this.cache);
    const events = createEvents(options, platform, this.http, onError);
    this.processor = events?.processor;
    this.recorder = events?.recorder;
    this.exposures = this.recorder?.ring;
    this.dataSink = this.flow.sink;
    this.source = buildSource(options, platform, this.http, verifier, this.dataSink);
    const mustVerify = options.signingKeys !== undefined || options.requireSignature;
    const bootstrapped =
      options.bootstrap === undefined
        ? undefined
        : this.flow.bootstrap(options.bootstrap, verifier, mustVerify, this.source === undefined);
    this.flow.loadCache();
    this.processor?.start();
    this.unhookPageHide = platform.onPageHide?.(() => void this.flush());
    if (this.source !== undefined) this.source.start();
    else void Promise.resolve(bootstrapped).then(() => this.flow.offlineReady());
  }

  // ── evaluation ──────────────────────────────────────────────────────────────

  getBoolean(key: string, defaultValue: boolean, context?: Context): boolean {
    const held = this.store.held;
    if (held.kind === 'flags' && held.clock === false) {
      // The hot path, kept flat: a boolean from definitions; an exposure is one append to the ring.
      try {
        const ctx = context === undefined ? this.defaultContext : mergeContexts(this.defaultContext, context);
        const result = evaluate(held.flagSet, key, ctx, BOOLEAN);
        if (result.variant === undefined) return defaultValue;
        const ring = this.exposures;
        if (ring !== undefined) {
          // `ring.record(result, ctx)` written out: a few loads and stores, no call — the engine does
          // not inline `record` here when this method also serves clients without exposures.
          const at = ring.size;
          if (at < ring.limit) {
            const slots = ring.slots;
            const i = at * 3;
            slots[i] = result;
            slots[i + 1] = ctx.targetingKey;
            slots[i + 2] = ctx;
            ring.size = at + 1;
          } else ring.record(result, ctx);
        }
        return result.value as boolean;
      } catch {
        return defaultValue;
      }
    }
    return this.evaluate(key, defaultValue, 'boolean', context).value;
  }

  getString(key: string, defaultValue: string, context?: Context): string {
    return this.evaluate(key, defaultValue, 'string', context).value;
  }

  getNumber(key: string, defaultValue: number, context?: Context): number {
    return this.evaluate(key, defaultValue, 'number', context).value;
  }

  getJson<T extends JsonValue>(key: string, defaultValue: T, context?: Context): Widen<T> {
    return this.evaluate(key, defaultValue, 'json', context).value as Widen<T>;
  }

  getDetails<T extends JsonValue>(
    key: string,
    defaultValue: T,
    context?: Context,
  ): EvaluationDetails<Widen<T>> {
    const result = this.evaluate(key, defaultValue, typeOf(defaultValue), context);
    return toDetails(result, this.store.held) as EvaluationDetails<Widen<T>>;
  }

  allFlags(context?: Context, options?: AllFlagsOptions): AllFlagsState {
    try {
      return allFlagsState(this.store.held, mergeContexts(this.defaultContext, context), options);
    } catch (error) {
      this.options.logger.error('allFlags failed', error);
      return { format: 'vexil-all-flags/1', version: this.store.held.version, flags: {} };
    }
  }

  track(event: string, context?: Context, value?: number): void {
    this.trackIn(event, mergeContexts(this.defaultContext, context), value);
  }

  forContext(context: Context): ScopedEvaluator {
    const merged = mergeContexts(this.defaultContext, context);
    return {
      context: merged,
      getBoolean: (key, defaultValue) => this.evaluateIn(key, defaultValue, 'boolean', merged).value,
      getString: (key, defaultValue) => this.evaluateIn(key, defaultValue, 'string', merged).value,
      getNumber: (key, defaultValue) => this.evaluateIn(key, defaultValue, 'number', merged).value,
      getJson: <T extends JsonValue>(key: string, defaultValue: T) =>
        this.evaluateIn(key, defaultValue, 'json', merged).value as Widen<T>,
      getDetails: <T extends JsonValue>(key: string, defaultValue: T) =>
        toDetails(
          this.evaluateIn(key, defaultValue, typeOf(defaultValue), merged),
          this.store.held,
        ) as EvaluationDetails<Widen<T>>,
      allFlags: (options) => this.allFlags(merged, options),
      track: (event, value) => this.trackIn(event, merged, value),
    };
  }

  private evaluate<T>(key: string, defaultValue: T, type: FlagType, context: Context | undefined) {
    const merged = context === undefined ? this.defaultContext : mergeContexts(this.defaultContext, context);
    return this.evaluateIn(key, defaultValue, type, merged);
  }

  private evaluateIn<T>(key: string, defaultValue: T, type: FlagType, context: Context): EvaluationResult<T> {
    try {
      const result = evaluateHeld(this.store.held, key, defaultValue, type, context);
      const ring = this.exposures;
      if (result.variant !== undefined && ring !== undefined) {
        // `ring.record(result, context)` written out, as in `getBoolean`.
        const at = ring.size;
        if (at < ring.limit) {
          const slots = ring.slots;
          const i = at * 3;
          slots[i] = result;
          slots[i + 1] = context.targetingKey;
          slots[i + 2] = context;
          ring.size = at + 1;
        } else ring.record(result, context);
      }
      return result;
    } catch (error) {
      // Unreachable unless a context's getter throws; evaluation must still not throw.
      return failure(key, defaultValue, 'GENERAL', `evaluation failed: ${(error as Error).message}`);
    }
  }

  private trackIn(event: string, context: Context, value: number | undefined): void {
    if (this.recorder === undefined) return;
    try {
      this.recorder.track(event, context, value);
    } catch (error) {
      this.options.logger.error('track failed', error);
    }
  }

  // ── context ─────────────────────────────────────────────────────────────────

  setContext(context: Context): void {
    this.defaultContext = context ?? emptyContext();
  }

  getContext(): Context {
    return this.defaultContext;
  }

  identify(key: string, attributes?: Omit<Context, 'targetingKey'>): void {
    this.defaultContext = { ...attributes, targetingKey: key };
  }

  reset(): void {
    this.defaultContext = emptyContext();
  }

  // ── lifecycle ───────────────────────────────────────────────────────────────

  get status() {
    return this.readiness.status;
  }

  get version(): number {
    return this.store.held.version;
  }

  isReady(): boolean {
    return this.readiness.ready;
  }

  waitForReady(options?: { timeout?: number }): Promise<void> {
    return this.readiness.wait(options?.timeout ?? 10_000);
  }

  on<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): () => void {
    return this.emitter.on(event, listener);
  }

  off<K extends keyof ClientEvents>(event: K, listener: (payload: ClientEvents[K]) => void): void {
    this.emitter.off(event, listener);
  }

  async refresh(): Promise<void> {
    await this.source?.refresh?.();
  }

  flush(): Promise<void> {
    this.recorder?.drain();
    return this.processor?.flush() ?? Promise.resolve();
  }

  eventStats() {
    if (this.processor === undefined || this.recorder === undefined)
      return { queued: 0, sent: 0, dropped: 0, rejected: 0 };
    this.recorder.drain();
    const stats = this.processor.stats;
    stats.dropped += this.recorder.dropped;
    return stats;
  }

  async close(): Promise<void> {
    if (this.readiness.status === 'closed') return;
    this.source?.stop();
    this.unhookPageHide?.();
    this.recorder?.close();
    this.readiness.rejectWaiters(new VexilError('CLOSED', 'the client was closed before it was ready'));
    this.readiness.set('closed');
    await this.processor?.close(this.options.timeout);
    await this.cache?.idle();
    this.emitter.clear();
  }
}

function typeOf(value: unknown): FlagType {
  switch (typeof value) {
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    default:
      return 'json';
  }
}
