import { z } from 'zod';

/**
 * The largest total weight of one table. Laying a table out takes
 * `(2 × before + weight) × 100 000` divided by `2 × total`: below 10¹⁰ every step is an
 * exact integer in a 64-bit integer and in an IEEE double, so every SDK computes the same
 * buckets.
 */
export const MAX_TABLE_WEIGHT = 10_000_000_000;

const WEIGHT_ERROR = 'a subject weight must be a whole number ≥ 1 (scale fractional sizes: cents, thousands)';

/** One subject's weight: a whole number ≥ 1. */
export const SubjectWeightSchema = z
  .number({ error: WEIGHT_ERROR })
  .int({ error: WEIGHT_ERROR })
  .min(1, { error: WEIGHT_ERROR })
  .max(MAX_TABLE_WEIGHT, { error: `a subject weight must be at most ${MAX_TABLE_WEIGHT}` });

/**
 * A named table of subject weights: bucket-by values (an account id, a tenant) → weight
 * (its size: seats, traffic, contract value). Rollouts and experiments that name the table
 * in `weightedBy` split its subjects by weight instead of by head count.
 */
export const WeightTableSchema = z.strictObject({
  description: z.string().optional(),
  /** Bucket-by value → weight. Subjects not listed keep their ordinary hash bucket. */
  weights: z.record(z.string(), SubjectWeightSchema).refine((w) => totalWeight(w) <= MAX_TABLE_WEIGHT, {
    error: (issue) =>
      `the weights of a table must sum to at most ${MAX_TABLE_WEIGHT}, got ${totalWeight(issue.input as Record<string, number>)}`,
  }),
});

/** The sum of a table's weights. */
export function totalWeight(weights: Readonly<Record<string, number>>): number {
  let sum = 0;
  for (const key in weights) sum += weights[key] ?? 0;
  return sum;
}

export type WeightTable = z.infer<typeof WeightTableSchema>;
