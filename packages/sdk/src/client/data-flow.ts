import { VexilError } from '../errors/vexil-error.js';
import type { SourceSink } from '../sources/data-source.js';
import type { FlagDataVerifier } from '../sources/verifier.js';
import type { Logger } from '../util/logger.js';
import { applyBootstrap } from './bootstrap.js';
import type { CacheKeeper } from './cache-keeper.js';
import type { Emitter } from './emitter.js';
import type { DataOrigin, FlagPatch, FlagStore, StoreResult } from './flag-store.js';
import type { Bootstrap } from './options.js';
import type { Readiness } from './readiness.js';
import type { ClientEvents } from './types.js';

/**
 * How data reaches the client and what it does to the client's state: the sink every
 * source reports to, the bootstrap, the cache; `ready`, `update`, `stale`, `recovered`
 * and `error` events follow from here.
 */
export class DataFlow {
  /** Where sources (and the test client) hand data in. */
  readonly sink: SourceSink;
  private sawFailure = false;
  private inOutage = false;

  constructor(
    private readonly store: FlagStore,
    private readonly readiness: Readiness,
    private readonly emitter: Emitter<ClientEvents>,
    private readonly logger: Logger,
    private readonly cache: CacheKeeper | undefined,
  ) {
    this.sink = {
      snapshot: (data, origin) => this.accept(this.store.replace(data, origin), origin),
      patch: (patch: FlagPatch) => this.accept(this.store.patch(patch), 'live'),
      connected: () => this.connected(),
      interrupted: (error) => this.interrupted(error),
      failed: (error) => {
        this.report(error, true);
        this.readiness.fail(error);
      },
      error: (error) => this.report(error, false),
      // Resume only from data this server (or its cache) gave: a bootstrap's version may mean something else.
      version: () => {
        const held = this.store.held;
        return held.kind === 'flags' && (held.origin === 'live' || held.origin === 'cache')
          ? held.version
          : undefined;
      },
    };
  }

  /** Logs an error and emits it. */
  report(error: VexilError, fatal: boolean): void {
    if (fatal || !error.recoverable) this.logger.error(error.message);
    else this.logger.warn(error.message);
    this.emitter.emit('error', error);
  }

  /**
   * Puts the bootstrap in the store (at once, or after its signature is checked). Without
   * another source, a refused bootstrap is fatal.
   */
  bootstrap(bootstrap: Bootstrap, verifier: FlagDataVerifier, mustVerify: boolean, alone: boolean): unknown {
    const outcome = applyBootstrap(bootstrap, this.store, verifier, mustVerify);
    const settle = (result: StoreResult) => {
      this.accept(result, 'bootstrap', false);
      if (result.status === 'rejected' && alone) this.readiness.fail(result.error);
      else if (result.status === 'applied') this.fallBackIfUnreachable();
    };
    if (outcome instanceof Promise) return outcome.then(settle);
    settle(outcome);
    return undefined;
  }

  /** Loads the cached snapshot, if any (it never replaces live data). */
  loadCache(): void {
    this.cache?.load().then((cached) => {
      if (cached === undefined || this.readiness.status === 'closed') return;
      const result = this.accept(this.store.replace(cached.data, 'cache'), 'cache');
      if (result.status !== 'applied') return;
      this.logger.info(`serving cached flags (version ${cached.version})`);
      this.fallBackIfUnreachable();
    });
  }

  /** Offline: ready with whatever the bootstrap gave (an empty set without one). */
  offlineReady(): void {
    if (this.readiness.status !== 'initializing') return;
    if (this.store.held.kind === 'none') this.store.replace({ flags: {} }, 'bootstrap');
    this.connected();
  }

  private accept(
    result: StoreResult,
    origin: DataOrigin,
    hadData = this.store.held.kind !== 'none',
  ): StoreResult {
    if (result.status === 'rejected') this.report(result.error, false);
    if (result.status !== 'applied') return result;
    if (result.warning !== undefined) this.report(result.warning, false);
    if (hadData && result.changed.length > 0 && this.readiness.status !== 'initializing') {
      this.emitter.emit('update', { keys: result.changed, version: result.version });
    }
    if (origin === 'live') this.cache?.save();
    return result;
  }

  private connected(): void {
    this.inOutage = false;
    if (this.store.held.kind === 'none' || this.readiness.status === 'closed') return;
    const status = this.readiness.status;
    if (status === 'initializing') {
      this.readiness.set('ready');
      this.emitter.emit('ready', { origin: this.originOf(), version: this.store.held.version });
    } else if (status === 'stale') {
      this.readiness.set('ready');
      this.emitter.emit('recovered', { version: this.store.held.version });
    }
  }

  private interrupted(error: VexilError): void {
    if (!this.inOutage) this.report(error, false);
    this.inOutage = true;
    const status = this.readiness.status;
    if (status === 'ready') {
      this.readiness.set('stale');
      this.emitter.emit('stale', { error });
    } else if (status === 'initializing') {
      this.sawFailure = true;
      if (this.store.held.kind !== 'none') this.readyFromFallback(error);
      else if (!error.recoverable) this.readiness.rejectWaiters(error);
    }
  }

  /** Cached or bootstrap data arrived after the source already failed: serve it. */
  private fallBackIfUnreachable(): void {
    if (this.sawFailure && this.readiness.status === 'initializing') {
      this.readyFromFallback(new VexilError('NETWORK_ERROR', 'the server could not be reached'));
    }
  }

  /** The server can't be reached at start, but cached or bootstrap flags exist: serve them, as stale. */
  private readyFromFallback(error: VexilError): void {
    this.readiness.set('stale');
    this.emitter.emit('ready', { origin: this.originOf(), version: this.store.held.version });
    this.emitter.emit('stale', { error });
  }

  private originOf(): DataOrigin {
    const held = this.store.held;
    return held.kind === 'none' ? 'bootstrap' : held.origin;
  }
}
