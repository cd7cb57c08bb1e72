import { z } from 'zod';
import { FlagSchema } from './flag.js';
import { InstantSchema, KeySchema } from './primitives.js';
import { SegmentSchema } from './segment.js';
import { WeightTableSchema } from './subject-weights.js';

/** The version of the flag-set format this package reads and writes. */
export const FORMAT_VERSION = 1;

/**
 * A flag set: the one format for SDK snapshots, exports, imports and flags-as-code files.
 */
export const FlagSetSchema = z.strictObject({
  $schema: z.string().optional(),
  formatVersion: z
    .literal(FORMAT_VERSION, {
      error: (issue) =>
        `unsupported formatVersion ${JSON.stringify(issue.input)}; this reader understands ${FORMAT_VERSION}`,
    })
    .optional(),
  project: KeySchema.optional(),
  /** Environment evaluated when the caller names none. */
  environment: KeySchema.optional(),
  /** `server`: full definitions; `client`: only client-visible flags (snapshots say which). */
  scope: z.enum(['server', 'client']).optional(),
  /** Monotonic version of this set (snapshots), for caching and ordering. */
  version: z.int().min(0).optional(),
  generatedAt: InstantSchema.optional(),
  segments: z.record(KeySchema, SegmentSchema).optional(),
  /** Weight tables by name, for rollouts and experiments balanced by subject weight (`weightedBy`). */
  subjectWeights: z.record(KeySchema, WeightTableSchema).optional(),
  flags: z.record(KeySchema, FlagSchema),
});

/** A flag set as validated data (the JSON you write or receive). */
export type FlagSetDefinition = z.infer<typeof FlagSetSchema>;
/** A flag set as you may write it (the same: the format has no defaults filled in by parsing). */
export type FlagSetInput = z.input<typeof FlagSetSchema>;
