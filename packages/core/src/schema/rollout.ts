import { z } from 'zod';
import { InstantSchema, KeySchema, WeightsSchema } from './primitives.js';

/** A linear ramp from the rollout's `variants` weights to `to`, between `start` and `end`. */
export const RampSchema = z.strictObject({
  start: InstantSchema,
  end: InstantSchema,
  to: WeightsSchema,
});

/** From `at` on, the rollout uses these weights (until the next step). */
export const ScheduleStepSchema = z.strictObject({
  at: InstantSchema,
  variants: WeightsSchema,
});

/** A percentage split between variants, deterministic unless `random` is set. */
export const RolloutSchema = z.strictObject({
  variants: WeightsSchema,
  /** Context attribute to bucket by; defaults to `targetingKey`. */
  bucketBy: z.string().min(1).optional(),
  /** Hash seed; defaults to the flag key, so flags bucket independently. */
  seed: z.string().optional(),
  /** Pick a bucket at random on every evaluation (not sticky). */
  random: z.boolean().optional(),
  /** A table of `subjectWeights`: split its subjects by weight rather than by head count. */
  weightedBy: KeySchema.optional(),
  ramp: RampSchema.optional(),
  schedule: z.array(ScheduleStepSchema).min(1, 'schedule must have at least one step').optional(),
});

/** What a rule, or the default, serves: one variant or a rollout. */
export const ServeSchema = z
  .strictObject({ variant: KeySchema.optional(), rollout: RolloutSchema.optional() })
  .refine((serve) => (serve.variant === undefined) !== (serve.rollout === undefined), {
    error: 'give exactly one of "variant" or "rollout"',
  });

export type Rollout = z.infer<typeof RolloutSchema>;
export type Serve = z.infer<typeof ServeSchema>;
