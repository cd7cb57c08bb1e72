import { z } from 'zod';
import { InstantSchema, KeySchema, TOTAL_WEIGHT, WeightsSchema } from './primitives.js';

/** A metric an experiment is judged by: a tracked event, counted or summed. */
export const MetricSchema = z.strictObject({
  event: z.string().min(1),
  /** `conversion`: share of subjects with the event; `sum`/`mean`: of its numeric values. */
  kind: z.enum(['conversion', 'sum', 'mean']).optional(),
  /** Whether a higher value is better (default true). */
  higherIsBetter: z.boolean().optional(),
});

/** A time-boxed A/B/n test on a flag in one environment. */
export const ExperimentSchema = z.strictObject({
  key: KeySchema,
  description: z.string().optional(),
  start: InstantSchema.optional(),
  end: InstantSchema.optional(),
  /** Share of subjects that enter the experiment, in thousandths of a percent (default 100 %). */
  allocation: z.int().min(0).max(TOTAL_WEIGHT).optional(),
  variants: WeightsSchema,
  bucketBy: z.string().min(1).optional(),
  /** Hash seed; defaults to the experiment key. */
  seed: z.string().optional(),
  /** A table of `subjectWeights`: allocate and split its subjects by weight rather than by head count. */
  weightedBy: KeySchema.optional(),
  metrics: z.array(MetricSchema).optional(),
});

export type Experiment = z.infer<typeof ExperimentSchema>;
