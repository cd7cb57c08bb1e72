import { z } from 'zod';
import { EnvironmentConfigSchema, environmentConfigShape } from './environment-config.js';
import { InstantSchema, JsonValueSchema, KeySchema } from './primitives.js';

export const FLAG_TYPES = ['boolean', 'string', 'number', 'json'] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

/** A flag: what it is, its variants, and how it behaves per environment. */
export const FlagSchema = z.strictObject({
  type: z.enum(FLAG_TYPES, {
    error: (issue) =>
      issue.input === undefined
        ? `required: one of ${FLAG_TYPES.join(', ')}`
        : `unknown flag type ${JSON.stringify(issue.input)}; expected one of ${FLAG_TYPES.join(', ')}`,
  }),
  /** Variant name → value. Boolean flags without variants get `{ "on": true, "off": false }`. */
  variants: z.record(KeySchema, JsonValueSchema).optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  tags: z.array(z.string()).optional(),
  owner: z.string().optional(),
  lifecycle: z.enum(['temporary', 'permanent']).optional(),
  stale: z.boolean().optional(),
  /** Whether client (browser) keys may see this flag. */
  clientVisible: z.boolean().optional(),
  archived: z.boolean().optional(),
  /** Free-form data for your own tools (Flipper's client data). */
  metadata: z.record(z.string(), JsonValueSchema).optional(),
  version: z.int().min(0).optional(),
  createdAt: InstantSchema.optional(),
  updatedAt: InstantSchema.optional(),
  ...environmentConfigShape,
  /** Per-environment settings, each laid over the flag-level settings above. */
  environments: z.record(KeySchema, EnvironmentConfigSchema).optional(),
});

export type Flag = z.infer<typeof FlagSchema>;
