import type { JsonValue } from '@vexil/core';
import type { Context } from '../client/context.js';
import type { EvaluationDetails, VexilClient } from '../client/types.js';

/** OpenFeature's `ResolutionDetails`, spelled without importing either SDK. */
export interface Resolution<T> {
  value: T;
  variant?: string;
  reason?: string;
  errorCode?: never;
  errorMessage?: string;
  flagMetadata?: Record<string, string | number | boolean>;
}

/** What the providers need from an OpenFeature evaluation context. */
export type OpenFeatureContext = Record<string, unknown> & { targetingKey?: string | undefined };

/** Evaluates through the Vexil client and shapes the result as OpenFeature expects. */
export function resolve<T extends JsonValue>(
  client: VexilClient,
  key: string,
  defaultValue: T,
  context: OpenFeatureContext | undefined,
): Resolution<T> {
  return toResolution(
    client.getDetails(key, defaultValue, context as Context | undefined) as EvaluationDetails<T>,
  );
}

function toResolution<T>(details: EvaluationDetails<T>): Resolution<T> {
  const resolution: Resolution<T> = { value: details.value, reason: details.reason };
  if (details.variant !== undefined) resolution.variant = details.variant;
  if (details.errorCode !== undefined) {
    // Vexil's error codes are OpenFeature's, letter for letter.
    (resolution as { errorCode?: string }).errorCode = details.errorCode;
    if (details.errorMessage !== undefined) resolution.errorMessage = details.errorMessage;
  }
  const metadata: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(details.metadata ?? {})) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
      metadata[name] = value;
  }
  if (details.ruleId !== undefined) metadata.ruleId = details.ruleId;
  if (details.experiment !== undefined) metadata.experiment = details.experiment;
  if (Object.keys(metadata).length > 0) resolution.flagMetadata = metadata;
  return resolution;
}

/** OpenFeature's provider event names (the same strings in the server and web SDKs). */
type ProviderEventName =
  | 'PROVIDER_READY'
  | 'PROVIDER_STALE'
  | 'PROVIDER_CONFIGURATION_CHANGED'
  | 'PROVIDER_ERROR';

/**
 * What the server and web providers share: forwarding client events as provider events
 * (READY after a recovery, STALE, CONFIGURATION_CHANGED with the changed keys, ERROR with
 * `PROVIDER_FATAL` when the key is refused) and waiting for the client in `initialize`.
 */
export class ProviderBridge {
  private initialized = false;
  private stop: (() => void) | undefined;

  constructor(
    private readonly client: VexilClient,
    private readonly emit: (event: ProviderEventName, details?: Record<string, unknown>) => void,
    private readonly fatalError: (message: string) => Error,
  ) {}

  async initialize(timeout: number): Promise<void> {
    this.stop ??= this.forward();
    try {
      await this.client.waitForReady({ timeout });
    } catch (error) {
      if (this.client.status === 'error') throw this.fatalError((error as Error).message);
      throw error;
    } finally {
      this.initialized = true;
      // OpenFeature marks the provider ready when initialize returns; a client serving
      // cached flags is stale, which must come after that.
      if (this.client.status === 'stale') {
        setTimeout(() => this.emit('PROVIDER_STALE', { message: 'serving cached flags' }), 0);
      }
    }
  }

  async close(): Promise<void> {
    this.stop?.();
    await this.client.close();
  }

  private forward(): () => void {
    // Before initialize returns, OpenFeature reports readiness itself.
    const when = (fn: () => void) => {
      if (this.initialized) fn();
    };
    const offs = [
      this.client.on('update', ({ keys }) =>
        when(() => this.emit('PROVIDER_CONFIGURATION_CHANGED', { flagsChanged: keys })),
      ),
      this.client.on('stale', ({ error }) =>
        when(() => this.emit('PROVIDER_STALE', { message: error.message })),
      ),
      this.client.on('recovered', () => when(() => this.emit('PROVIDER_READY'))),
      this.client.on('error', (error) => {
        if (this.client.status === 'error') {
          when(() => this.emit('PROVIDER_ERROR', { message: error.message, errorCode: 'PROVIDER_FATAL' }));
        }
      }),
    ];
    return () => {
      for (const off of offs) off();
    };
  }
}

/** Whether a value is a Vexil client rather than client options. */
export function isClient(value: unknown): value is VexilClient {
  return typeof (value as VexilClient | undefined)?.getDetails === 'function';
}
