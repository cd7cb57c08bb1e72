import { InstantSchema, KeySchema } from '@vexil/core';
import { z } from 'zod';

/** Most events one `POST /api/v1/events` may carry; more is answered 413. */
export const MAX_EVENTS_PER_BATCH = 1000;
/** Largest events body in bytes (1 MiB); larger is answered 413. */
export const MAX_BATCH_BYTES = 1024 * 1024;

/** A string PostgreSQL can store (no NUL), of at most `max` characters. */
const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `at most ${max} characters`)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

/** An event's time: ISO 8601 with a zone, from 1970 on (older ones are a broken clock, and year 0 fits no database). */
const EventTime = InstantSchema.refine((t) => Date.parse(t) >= 0, 'must be 1970 or later');

/** Context keys as SDKs send them: the key itself, or `sha256:<hex>` for a private one. */
const ContextKey = text(512).optional();

export const ExposureEventSchema = z.object({
  kind: z.literal('exposure'),
  time: EventTime,
  flag: KeySchema,
  variant: KeySchema,
  contextKey: ContextKey,
  reason: text(64).optional(),
  // Rule ids from the core go up to `$override:` + a 128-character segment key.
  ruleId: text(256).optional(),
  experiment: KeySchema.optional(),
});

export const TrackEventSchema = z.object({
  kind: z.literal('track'),
  time: EventTime,
  name: text(200),
  value: z.number().refine(Number.isFinite, 'must be a finite number').optional(),
  contextKey: ContextKey,
});

/**
 * The body of `POST /api/v1/events` (docs/protocol.md). Unknown fields are ignored, so
 * a newer SDK's batches are never refused for what this server does not know yet.
 */
export const EventBatchSchema = z.object({
  batchId: z
    .string()
    .regex(/^[A-Za-z0-9._:-]{1,128}$/, 'use 1–128 of A–Z a–z 0–9 . _ : - (a UUID, typically)'),
  sdk: text(100).optional(),
  events: z
    .array(
      z.discriminatedUnion('kind', [ExposureEventSchema, TrackEventSchema], {
        error: 'expected an event with kind "exposure" or "track"',
      }),
    )
    .min(1, 'send at least one event'),
});

export type EventBatchBody = z.infer<typeof EventBatchSchema>;

/** The answer to an accepted batch. */
export const EventBatchAcceptedSchema = z.object({
  accepted: z.int().describe('events in the batch'),
  duplicate: z.boolean().describe('true when this batch id was already stored: nothing stored twice'),
});
