import {
  type EvaluationContext,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderEvents,
  ProviderFatalError,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import type { ClientOptions } from '../client/options.js';
import type { VexilClient } from '../client/types.js';
import { createClient } from '../index.js';
import { forwardEvents, isClient, type OpenFeatureContext, resolve } from './resolution.js';

/** Options of the server provider, besides the client (or its options). */
export interface VexilProviderOptions {
  /** How long `initialize` waits for the client (default 10 000 ms). */
  readyTimeout?: number;
}

/**
 * Vexil as an OpenFeature provider for `@openfeature/server-sdk`: local evaluation
 * through a Vexil client, provider events (READY, CONFIGURATION_CHANGED with the
 * changed flag keys, STALE, ERROR) and `track`.
 * @example
 * await OpenFeature.setProviderAndWait(new VexilProvider({ url, sdkKey: 'vx_server_…' }));
 * const enabled = await OpenFeature.getClient().getBooleanValue('new-checkout', false, { targetingKey: 'user-42' });
 */
export class VexilProvider implements Provider {
  readonly metadata = { name: 'vexil' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  /** The Vexil client behind the provider. */
  readonly client: VexilClient;
  private stopForwarding: (() => void) | undefined;
  /** Events are forwarded once OpenFeature knows the provider is initialised. */
  private initialized = false;

  constructor(
    client: VexilClient | ClientOptions,
    private readonly options: VexilProviderOptions = {},
  ) {
    this.client = isClient(client) ? client : createClient(client);
  }

  async initialize(): Promise<void> {
    const emit = (fn: () => void) => () => {
      if (this.initialized) fn();
    };
    this.stopForwarding ??= forwardEvents(this.client, {
      ready: emit(() => this.events.emit(ProviderEvents.Ready)),
      stale: (message) => emit(() => this.events.emit(ProviderEvents.Stale, { message }))(),
      configurationChanged: (flagsChanged) =>
        emit(() => this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged }))(),
      fatal: (message) =>
        emit(() =>
          this.events.emit(ProviderEvents.Error, { message, errorCode: 'PROVIDER_FATAL' } as never),
        )(),
    });
    try {
      await this.client.waitForReady({ timeout: this.options.readyTimeout ?? 10_000 });
    } catch (error) {
      if (this.client.status === 'error') throw new ProviderFatalError((error as Error).message);
      throw error;
    } finally {
      // OpenFeature marks the provider ready (or in error) when this returns; forward what follows.
      setTimeout(() => {
        this.initialized = true;
        if (this.client.status === 'stale')
          this.events.emit(ProviderEvents.Stale, { message: 'serving cached flags' });
      }, 0);
    }
  }

  async onClose(): Promise<void> {
    this.stopForwarding?.();
    await this.client.close();
  }

  async resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext) {
    return resolve(
      this.client,
      key,
      defaultValue,
      context as OpenFeatureContext,
    ) as ResolutionDetails<boolean>;
  }

  async resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext) {
    return resolve(
      this.client,
      key,
      defaultValue,
      context as OpenFeatureContext,
    ) as ResolutionDetails<string>;
  }

  async resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext) {
    return resolve(
      this.client,
      key,
      defaultValue,
      context as OpenFeatureContext,
    ) as ResolutionDetails<number>;
  }

  async resolveObjectEvaluation<T extends JsonValue>(
    key: string,
    defaultValue: T,
    context: EvaluationContext,
  ) {
    return resolve(
      this.client,
      key,
      defaultValue as never,
      context as OpenFeatureContext,
    ) as ResolutionDetails<T>;
  }

  track(name: string, context: EvaluationContext, details: TrackingEventDetails): void {
    this.client.track(name, context as OpenFeatureContext, details?.value);
  }
}
