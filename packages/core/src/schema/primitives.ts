import { z } from 'zod';

/** Largest rollout weight: weights are in thousandths of a percent, so 100 000 is 100 %. */
export const TOTAL_WEIGHT = 100_000;

const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** A key for a flag, segment, variant, rule or experiment: ASCII letters, digits, `.`, `_`, `-`. */
export const KeySchema = z.string().regex(KEY_PATTERN, {
  error: (issue) =>
    `invalid key ${JSON.stringify(issue.input)}: use 1–128 of A–Z a–z 0–9 . _ - starting with a letter or digit`,
});

/** An instant, as an ISO 8601 date-time with a zone (`2026-01-31T09:00:00Z`). */
export const InstantSchema = z.iso.datetime({
  offset: true,
  error: (issue) =>
    `invalid date-time ${JSON.stringify(issue.input)}: expected ISO 8601 with a zone, like "2026-01-31T09:00:00Z"`,
});

/** A value a condition compares against. */
export const ScalarSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'expected a string, number or boolean',
});

/** Any JSON value (the value of a `json` flag's variant). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export const JsonValueSchema: z.ZodType<JsonValue> = z.json();

/** Weights per variant, each in [0, 100000], summing to 100000. */
export const WeightsSchema = z
  .record(KeySchema, z.int().min(0).max(TOTAL_WEIGHT))
  .refine((weights) => sumWeights(weights) === TOTAL_WEIGHT, {
    error: (issue) =>
      `weights must sum to ${TOTAL_WEIGHT} (100 %), got ${sumWeights(issue.input as Record<string, number>)}`,
  });

function sumWeights(weights: Record<string, number>): number {
  let sum = 0;
  for (const key in weights) sum += weights[key] ?? 0;
  return sum;
}
