import {
  type EvaluationContext,
  type JsonValue,
  OpenFeatureEventEmitter,
  type Provider,
  ProviderFatalError,
  type ResolutionDetails,
  type TrackingEventDetails,
} from '@openfeature/web-sdk';
import { createClient } from '../browser.js';
import type { ClientOptions } from '../client/options.js';
import type { VexilClient } from '../client/types.js';
import { isClient, type OpenFeatureContext, ProviderBridge, resolve } from './resolution.js';

/** Options of the web provider, besides the client (or its options). */
export interface VexilWebProviderOptions {
  /** How long `initialize` waits for the client (default 10 000 ms). */
  readyTimeout?: number;
}

/**
 * Vexil as an OpenFeature provider for `@openfeature/web-sdk`: flags are evaluated in the
 * page (synchronously) from the client key's client-visible flags; the static context
 * set with `OpenFeature.setContext` is the evaluation context.
 * @example
 * await OpenFeature.setProviderAndWait(new VexilProvider({ url, sdkKey: 'vx_client_…' }), { targetingKey: 'user-42' });
 * OpenFeature.getClient().getBooleanValue('new-checkout', false);
 */
export class VexilProvider implements Provider {
  readonly metadata = { name: 'vexil' } as const;
  readonly runsOn = 'client' as const;
  readonly events = new OpenFeatureEventEmitter();
  /** The Vexil client behind the provider. */
  readonly client: VexilClient;
  private readonly bridge: ProviderBridge;

  constructor(
    client: VexilClient | ClientOptions,
    private readonly options: VexilWebProviderOptions = {},
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

  resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext) {
    return resolve(
      this.client,
      key,
      defaultValue,
      context as OpenFeatureContext,
    ) as ResolutionDetails<boolean>;
  }

  resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext) {
    return resolve(
      this.client,
      key,
      defaultValue,
      context as OpenFeatureContext,
    ) as ResolutionDetails<string>;
  }

  resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext) {
    return resolve(
      this.client,
      key,
      defaultValue,
      context as OpenFeatureContext,
    ) as ResolutionDetails<number>;
  }

  resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T, context: EvaluationContext) {
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
