import {
  type EvaluationContext,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderFatalError,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/server-sdk';
import type { ClientOptions } from '../client/options.js';
import type { VexilClient } from '../client/types.js';
import { createClient } from '../index.js';
import { isClient, type OpenFeatureContext, ProviderBridge, resolve } from './resolution.js';

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
  private readonly bridge: ProviderBridge;

  constructor(
    client: VexilClient | ClientOptions,
    private readonly options: VexilProviderOptions = {},
  ) {
    this.client = isClient(client) ? client : createClient(client);
    this.bridge = new ProviderBridge(
      this.client,
      (event, details) => this.events.emit(event as never, details as never),
      (message) => new ProviderFatalError(message),
    );
  }

  async initialize(): Promise<void> {
    await this.bridge.initialize(this.options.readyTimeout ?? 10_000);
  }

  async onClose(): Promise<void> {
    await this.bridge.close();
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
