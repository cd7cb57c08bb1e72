import { z } from 'zod';
import { ConditionSchema } from './condition.js';
import { ExperimentSchema } from './experiment.js';
import { KeySchema } from './primitives.js';
import { ServeSchema } from './rollout.js';

/** Another flag that must serve one of `variants` for this flag to be evaluated. */
export const PrerequisiteSchema = z.strictObject({
  flag: KeySchema,
  variants: z.array(KeySchema).min(1, 'list at least one variant'),
});

/** Serve `variant` to every context in `segment` (a group override). */
export const OverrideSchema = z.strictObject({
  segment: KeySchema,
  variant: KeySchema,
});

/** Ordered targeting rule: when every condition holds, serve. */
export const RuleSchema = z.strictObject({
  id: KeySchema.optional(),
  description: z.string().optional(),
  conditions: z.array(ConditionSchema),
  serve: ServeSchema,
});

/**
 * How a flag behaves in one environment. Every field is optional: a field given under
 * `environments.<name>` replaces the same field given on the flag itself.
 */
export const environmentConfigShape = {
  enabled: z.boolean().optional(),
  /** Variant served while the flag is disabled or a prerequisite fails. */
  offVariant: KeySchema.optional(),
  prerequisites: z.array(PrerequisiteSchema).optional(),
  /** Individual targets: variant name → targeting keys. */
  targets: z.record(KeySchema, z.array(z.string())).optional(),
  overrides: z.array(OverrideSchema).optional(),
  experiment: ExperimentSchema.optional(),
  rules: z.array(RuleSchema).optional(),
  defaultServe: ServeSchema.optional(),
};

export const EnvironmentConfigSchema = z.strictObject(environmentConfigShape);

export type EnvironmentConfig = z.infer<typeof EnvironmentConfigSchema>;
export type Rule = z.infer<typeof RuleSchema>;
export type Prerequisite = z.infer<typeof PrerequisiteSchema>;
