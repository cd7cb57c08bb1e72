import type { ResolvedOptions } from '../client/options.js';
import type { VexilError } from '../errors/vexil-error.js';
import type { HttpClient } from '../http/http-client.js';
import type { Platform } from '../platform/platform.js';
import { EventProcessor } from './event-processor.js';
import { EventRecorder } from './event-recorder.js';
import type { EventJournal } from './journal.js';

/** Milliseconds between drains of the exposure ring (shorter when `flushInterval` is). */
export const EXPOSURE_DRAIN_INTERVAL = 1000;

/** The SDK name sent with events. */
export const SDK_NAME = 'vexil-js/0.1.0';

/** The event pipeline for a client, or nothing when events are off (or there is no server). */
export function createEvents(
  options: ResolvedOptions,
  platform: Platform,
  http: HttpClient | undefined,
  onError: (error: VexilError) => void,
): { processor: EventProcessor; recorder: EventRecorder } | undefined {
  const { events, sdkKey, logger } = options;
  if (events === undefined || http === undefined || sdkKey === undefined) return undefined;
  let journal: EventJournal | undefined;
  if (events.persist !== false) {
    try {
      journal = platform.eventJournal(events.persist, sdkKey);
    } catch (error) {
      logger.warn(`events will not survive a crash: the journal could not be opened (${String(error)})`);
    }
  }
  const processor = new EventProcessor({
    http,
    journal,
    sdkName: SDK_NAME,
    flushInterval: events.flushInterval,
    batchSize: events.batchSize,
    maxQueueSize: events.maxQueueSize,
    retry: options.retry,
    logger,
    onError,
  });
  const recorder = new EventRecorder({
    processor,
    exposures: events.exposures,
    exposureWindow: events.exposureWindow,
    drainInterval: Math.min(EXPOSURE_DRAIN_INTERVAL, events.flushInterval),
    onExit: platform.onExit,
    privateAttributes: options.privateAttributes,
    strictPii: options.strictPii,
    logger,
    onError,
  });
  return { processor, recorder };
}
