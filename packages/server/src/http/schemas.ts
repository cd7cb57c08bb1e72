import {
  EnvironmentConfigSchema,
  ExperimentSchema,
  FlagSchema,
  FlagSetSchema,
  InstantSchema,
  JsonValueSchema,
  KeySchema,
  PrerequisiteSchema,
  RampSchema,
  RolloutSchema,
  RuleSchema,
  ScheduleStepSchema,
  SegmentSchema,
  ServeSchema,
  WeightTableSchema,
} from '@vexil/core';
import { z } from 'zod';
import { API_KEY_KINDS, RESOURCE_TYPES } from '../stores/types.js';

/**
 * Request and response schemas of the admin API. The flag model's schemas are the
 * core's own, so the API, the OpenAPI document and the flag-set format cannot drift apart.
 */
export const registry = z.registry<{ id: string; description?: string }>();
registry.add(JsonValueSchema, { id: 'JsonValue' });
registry.add(FlagSchema, { id: 'Flag' });
registry.add(SegmentSchema, { id: 'Segment' });
registry.add(EnvironmentConfigSchema, { id: 'EnvironmentConfig' });
registry.add(RuleSchema, { id: 'Rule' });
registry.add(RolloutSchema, { id: 'Rollout' });
registry.add(ExperimentSchema, { id: 'Experiment' });
registry.add(WeightTableSchema, { id: 'WeightTable' });
registry.add(FlagSetSchema, { id: 'FlagSet' });

const limit = z.coerce
  .number()
  .int()
  .min(1)
  .max(1000)
  .optional()
  .describe('page size (default 50, at most 1000)');
const offset = z.coerce.number().int().min(0).optional().describe('items to skip');
const bool = z
  .enum(['true', 'false'], { error: 'expected true or false' })
  .transform((v) => v === 'true')
  .optional();

export const PageQuery = z.strictObject({ limit, offset });
export const TextPageQuery = z.strictObject({ limit, offset, text: z.string().optional() });
export const FlagListQuery = z.strictObject({
  limit,
  offset,
  tag: z.string().optional(),
  text: z.string().optional().describe('case-insensitive part of the key, name or description'),
  archived: bool,
});
export const KeyListQuery = z.strictObject({
  limit,
  offset,
  kind: z.enum(API_KEY_KINDS).optional(),
  project: z.string().optional(),
  environment: z.string().optional(),
  includeInactive: bool,
});
export const AuditQuery = z.strictObject({
  limit,
  offset,
  project: z.string().optional(),
  environment: z.string().optional(),
  resourceType: z.enum(RESOURCE_TYPES).optional(),
  resourceKey: z.string().optional(),
  action: z.string().optional(),
});
export const ImportQuery = z.strictObject({
  environment: KeySchema.optional(),
  mode: z.enum(['merge', 'replace']).optional(),
  dryRun: bool,
});
export const ScopeQuery = z.strictObject({ scope: z.enum(['server', 'client']).default('server') });
export const ServeQuery = z.strictObject({
  rule: z.string().optional().describe('a rule id: its serve, not the default'),
});

const param = z.string().min(1).max(128);
export const ProjectParams = z.strictObject({ project: param });
export const EnvironmentParams = z.strictObject({ project: param, environment: param });
export const FlagParams = z.strictObject({ project: param, flag: param });
export const FlagEnvParams = z.strictObject({ project: param, flag: param, environment: param });
export const RuleParams = FlagEnvParams.extend({ rule: param });
export const OverrideParams = FlagEnvParams.extend({ segment: param });
export const VariantParams = FlagParams.extend({ variant: param });
export const VersionParams = FlagParams.extend({ version: z.coerce.number().int().min(1) });
export const SegmentParams = z.strictObject({ project: param, segment: param });
export const WeightTableParams = z.strictObject({ project: param, table: param });
/** A PUT may create the table: its key must be a valid key (a bad one is reported at `params.table`). */
export const WeightTablePutParams = z.strictObject({ project: param, table: KeySchema });
export const KeyParams = z.strictObject({ id: param });

export const Metadata = z.record(z.string(), JsonValueSchema);
/** RFC 7396 JSON merge patch: `null` removes a field. */
export const MergePatch = z.record(z.string(), z.unknown()).describe('JSON merge patch (RFC 7396)');

export const ProjectCreate = z.strictObject({
  key: KeySchema,
  name: z.string().max(200).optional(),
  description: z.string().optional(),
  metadata: Metadata.optional(),
  environments: z.array(KeySchema).optional().describe('default: development, production'),
});
export const ProjectUpdate = z.strictObject({
  name: z.string().max(200).optional(),
  description: z.string().optional(),
  metadata: Metadata.optional(),
});
export const EnvironmentCreate = z.strictObject({
  key: KeySchema,
  name: z.string().max(200).optional(),
  description: z.string().optional(),
  position: z.int().min(0).optional(),
});
export const EnvironmentUpdate = EnvironmentCreate.omit({ key: true });

/** A flag to create: its key and the core's flag fields. */
export const FlagCreate = FlagSchema.extend({ key: KeySchema });
/** A whole flag; the fields the server owns (a `GET` returns them) are accepted and ignored. */
export const FlagReplace = FlagSchema.extend({
  key: z.string().optional(),
  project: z.string().optional(),
  createdBy: z.string().optional(),
  updatedBy: z.string().optional(),
});
export const Rollback = z.strictObject({ version: z.int().min(1) });
export const VariantValue = z.strictObject({ value: JsonValueSchema });
export const RuleAdd = z.strictObject({ rule: RuleSchema, index: z.int().min(0).optional() });
export const RuleMove = z.strictObject({ index: z.int().min(0) });
export const TargetsAdd = z.strictObject({ variant: KeySchema, keys: z.array(z.string()).min(1) });
export const TargetsRemove = z.strictObject({ keys: z.array(z.string()).min(1) });
export const OverrideSet = z.strictObject({ variant: KeySchema });
export const PrerequisitesSet = z.strictObject({ prerequisites: z.array(PrerequisiteSchema) });
export const ServeSet = ServeSchema;
export const RampSet = z.strictObject({ ramp: RampSchema });
export const ScheduleSet = z.strictObject({ schedule: z.array(ScheduleStepSchema).min(1) });
export const ExperimentWindow = z.strictObject({ at: InstantSchema.optional() });
export const SegmentCreate = SegmentSchema.extend({ key: KeySchema });
export const SegmentReplace = SegmentSchema.extend({
  key: z.string().optional(),
  project: z.string().optional(),
  version: z.int().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  createdBy: z.string().optional(),
  updatedBy: z.string().optional(),
});
export const SegmentKeys = z.strictObject({ keys: z.array(z.string()).min(1) });
/** A whole weight table; the fields a `GET` adds (key, sizes, system fields) are accepted and ignored. */
export const WeightTableReplace = WeightTableSchema.extend({
  key: z.string().optional(),
  project: z.string().optional(),
  subjects: z.int().optional(),
  totalWeight: z.number().optional(),
  version: z.int().optional(),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  createdBy: z.string().optional(),
  updatedBy: z.string().optional(),
});
export const KeyCreate = z.strictObject({
  kind: z.enum(API_KEY_KINDS),
  project: KeySchema.optional(),
  environment: KeySchema.optional(),
  name: z.string().min(1).max(200).optional(),
  expiresAt: InstantSchema.optional(),
});
export const KeyRename = z.strictObject({ name: z.string().min(1).max(200) });
export const KeyRotate = z.strictObject({
  gracePeriodSeconds: z
    .int()
    .min(0)
    .max(31_536_000)
    .optional()
    .describe('how long the old key keeps working (default 3600)'),
});

/** The error body every 4xx and 5xx has. */
export const ErrorResponse = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })),
    details: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('what the error is about, as data: an IN_USE weight table has `{ "flags": [flag keys] }`'),
    requestId: z.string().optional(),
  }),
});

export const FlagResponse = FlagSchema.extend({
  key: z.string(),
  project: z.string(),
  version: z.int(),
  archived: z.boolean(),
  createdBy: z.string(),
  updatedBy: z.string(),
});
export const SegmentResponse = SegmentSchema.extend({
  key: z.string(),
  project: z.string(),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  updatedBy: z.string(),
});

const weightTableFields = {
  key: z.string(),
  project: z.string(),
  description: z.string().optional(),
  subjects: z.int().describe('how many subjects the table lists'),
  totalWeight: z.number().describe('the sum of their weights'),
  version: z.int(),
  createdAt: z.string(),
  updatedAt: z.string(),
  createdBy: z.string(),
  updatedBy: z.string(),
};
/** A weight table without its subjects (lists). */
export const WeightTableSummaryResponse = z.object(weightTableFields);
export const WeightTableResponse = z.object({
  ...weightTableFields,
  weights: WeightTableSchema.shape.weights,
});

/** `{ items, total, limit, offset }` */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.int(), limit: z.int(), offset: z.int() });
}

/** A JSON merge patch of an environment's settings. */
export const EnvironmentConfigPatch = MergePatch;
