import { z } from 'zod';
import { OperatorSchema } from './operators.js';
import { ScalarSchema } from './primitives.js';

/**
 * One test on the evaluation context: `attribute op value(s)`, optionally negated.
 * `value` and `values` are two spellings of the same thing; a condition holds when
 * the attribute satisfies the operator for any of the values.
 */
export const ConditionSchema = z.strictObject({
  /** Dotted path into the context (`user.address.country`); `$now` is the evaluation time. */
  attribute: z.string().min(1, 'attribute must not be empty').optional(),
  op: OperatorSchema,
  value: ScalarSchema.optional(),
  values: z.array(ScalarSchema).optional(),
  negate: z.boolean().optional(),
});

export type Condition = z.infer<typeof ConditionSchema>;
