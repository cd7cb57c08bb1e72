import { z } from 'zod';

/** Every operator a condition can use. */
export const OPERATORS = [
  'eq',
  'neq',
  'in',
  'notIn',
  'lt',
  'lte',
  'gt',
  'gte',
  'startsWith',
  'endsWith',
  'contains',
  'matches',
  'exists',
  'semverEq',
  'semverLt',
  'semverGt',
  'before',
  'after',
  'segment',
] as const;

export type Operator = (typeof OPERATORS)[number];

export const OperatorSchema = z.enum(OPERATORS, {
  error: (issue) =>
    issue.input === undefined
      ? `required: one of ${OPERATORS.join(', ')}`
      : `unknown operator ${JSON.stringify(issue.input)}; expected one of ${OPERATORS.join(', ')}`,
});
