import { InstantSchema, KeySchema } from '@vexil/core';
import { z } from 'zod';

/** Schemas of the event routes: queries and the documented answers. */
const range = {
  from: InstantSchema.optional().describe('from this instant (inclusive), ISO 8601'),
  to: InstantSchema.optional().describe('until this instant (exclusive), ISO 8601'),
};

export const ExposureCountQuery = z.strictObject({
  environment: KeySchema.optional(),
  flag: z.string().min(1).optional(),
  ...range,
});

export const TrackCountQuery = z.strictObject({
  environment: KeySchema.optional(),
  name: z.string().min(1).optional().describe('event name'),
  ...range,
});

export const ExperimentResultsQuery = z.strictObject({
  ...range,
  control: KeySchema.optional().describe('the baseline variant (default: "control", else the first)'),
});

export const ExposureCounts = z.object({
  items: z.array(
    z.object({
      environment: z.string(),
      flag: z.string(),
      variant: z.string(),
      day: z.string().describe('YYYY-MM-DD, UTC'),
      exposures: z.int(),
      subjects: z.int().describe('distinct context keys'),
    }),
  ),
});

export const TrackCounts = z.object({
  items: z.array(
    z.object({
      environment: z.string(),
      name: z.string(),
      day: z.string().describe('YYYY-MM-DD, UTC'),
      count: z.int(),
      sum: z.number(),
      subjects: z.int().describe('distinct context keys'),
    }),
  ),
});

const Interval = z.tuple([z.number(), z.number()]).nullable().describe('95 % interval [low, high]');

export const ExperimentResultsSchema = z.object({
  project: z.string(),
  environment: z.string(),
  flag: z.string(),
  experiment: z.string(),
  status: z.enum(['scheduled', 'running', 'ended']),
  from: z.string().nullable(),
  to: z.string().nullable(),
  control: z.string(),
  variants: z.array(z.object({ variant: z.string(), weight: z.int(), subjects: z.int() })),
  mixedSubjects: z.int().describe('subjects exposed to several variants, left out'),
  sampleRatio: z
    .object({
      chiSquare: z.number(),
      degreesOfFreedom: z.int(),
      pValue: z.number(),
      expected: z.record(z.string(), z.number()),
      unexpected: z.array(z.string()),
      mismatch: z.boolean().describe('p < 0.001: the traffic split does not match the weights'),
    })
    .nullable(),
  metrics: z.array(
    z.object({
      event: z.string(),
      kind: z.enum(['conversion', 'sum', 'mean']),
      higherIsBetter: z.boolean(),
      variants: z.array(
        z.object({
          variant: z.string(),
          subjects: z.int(),
          conversions: z.int(),
          total: z.number(),
          value: z.number().nullable(),
          sampleSize: z.int(),
          interval: Interval,
          vsControl: z
            .object({
              difference: z.number(),
              interval: z.tuple([z.number(), z.number()]),
              relative: z.number().nullable(),
              pValue: z.number(),
              significant: z.boolean(),
              better: z.boolean().nullable(),
            })
            .nullable(),
        }),
      ),
    }),
  ),
});
