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

/** The events a provider forwards, in OpenFeature's terms. */
export interface ProviderEventSink {
  ready(): void;
  stale(message: string): void;
  configurationChanged(flagsChanged: string[]): void;
  fatal(message: string): void;
}

/** Forwards client events to OpenFeature provider events; returns a function that stops forwarding. */
export function forwardEvents(client: VexilClient, sink: ProviderEventSink): () => void {
  const offs = [
    client.on('update', ({ keys }) => sink.configurationChanged(keys)),
    client.on('stale', ({ error }) => sink.stale(error.message)),
    client.on('recovered', () => sink.ready()),
    client.on('error', (error) => {
      if (client.status === 'error') sink.fatal(error.message);
    }),
  ];
  return () => {
    for (const off of offs) off();
  };
}

/** Whether a value is a Vexil client rather than client options. */
export function isClient(value: unknown): value is VexilClient {
  return typeof (value as VexilClient | undefined)?.getDetails === 'function';
}
