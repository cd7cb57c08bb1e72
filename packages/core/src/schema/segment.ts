import { z } from 'zod';
import { ConditionSchema } from './condition.js';

/**
 * A reusable group of subjects. A context is in the segment when its targeting key is
 * in `included`, or when it is not in `excluded` and every condition holds (a segment
 * without conditions matches only its included keys).
 */
export const SegmentSchema = z.strictObject({
  description: z.string().optional(),
  included: z.array(z.string()).optional(),
  excluded: z.array(z.string()).optional(),
  conditions: z.array(ConditionSchema).optional(),
});

export type Segment = z.infer<typeof SegmentSchema>;
