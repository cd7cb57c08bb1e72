import type { Reason } from '@vexil/core';

/** An exposure: a context was served a variant (docs/protocol.md, Events). */
export interface ExposureEvent {
  kind: 'exposure';
  time: string;
  flag: string;
  variant: string;
  contextKey?: string;
  reason: Reason;
  ruleId?: string;
  experiment?: string;
}

/** A tracked event (a conversion, a purchase …), optionally with a numeric value. */
export interface TrackEvent {
  kind: 'track';
  time: string;
  name: string;
  value?: number;
  contextKey?: string;
}

/** An event as it is sent to `POST /api/v1/events`. */
export type SdkEvent = ExposureEvent | TrackEvent;

/** An event offered to the queue, and whether its context key must be hashed before sending. */
export interface EventInput {
  event: SdkEvent;
  hashKey: boolean;
}

/** An event waiting to be sent. `id` and `hashKey` stay in the process (and its journal). */
export interface QueuedEvent {
  /** Unique id, so a recovered journal never yields the same event twice. */
  id: string;
  /** Replace the context key by a one-way hash before sending (private or PII-looking key). */
  hashKey?: boolean;
  event: SdkEvent;
}

/** A batch: formed once, sent (and retried) with the same id until the server has it. */
export interface EventBatch {
  batchId: string;
  events: QueuedEvent[];
}
