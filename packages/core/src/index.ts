/**
 * @vexil/core — the flag model, its schema, the evaluator and hashing.
 * Pure: no I/O, no timers, no clock. Runs unchanged in Node, browsers and edge workers.
 */

export { DEFAULT_ENVIRONMENT, type FlagSet } from './compile/flag-set.js';
export { FlagSetParseError } from './errors/flag-set-parse-error.js';
export { SignatureError, type SignatureFailure } from './errors/signature-error.js';
export type { EvaluationContext } from './evaluate/context.js';
export { type EvaluateAllOptions, type EvaluateOptions, evaluate, evaluateAll } from './evaluate/evaluate.js';
export { MAX_PREREQUISITE_DEPTH } from './evaluate/resolver.js';
export type { ErrorCode, EvaluationResult, Reason } from './evaluate/result.js';
export type { ConditionTrace, TraceStep } from './evaluate/trace.js';
export { BUCKET_LIMIT, BucketHasher, bucket } from './hash/bucket.js';
export { murmur3 } from './hash/murmur3.js';
export { weightedBuckets } from './hash/weighted-buckets.js';
export { compareSemver, parseSemver, type SemVer } from './operators/semver.js';
export { type FlagSetIssue, formatIssue, formatPath } from './parse/issue.js';
export {
  type ParseFlagSetOptions,
  parseFlagSet,
  type SafeParseFlagSetResult,
  safeParseFlagSet,
} from './parse/parse-flag-set.js';
export { type Condition, ConditionSchema } from './schema/condition.js';
export {
  type EnvironmentConfig,
  EnvironmentConfigSchema,
  OverrideSchema,
  type Prerequisite,
  PrerequisiteSchema,
  type Rule,
  RuleSchema,
} from './schema/environment-config.js';
export { type Experiment, ExperimentSchema, MetricSchema } from './schema/experiment.js';
export { FLAG_TYPES, type Flag, FlagSchema, type FlagType } from './schema/flag.js';
export {
  type FlagSetDefinition,
  type FlagSetInput,
  FlagSetSchema,
  FORMAT_VERSION,
} from './schema/flag-set.js';
export { flagSetJsonSchema } from './schema/json-schema.js';
export { OPERATORS, type Operator, OperatorSchema } from './schema/operators.js';
export {
  InstantSchema,
  type JsonValue,
  JsonValueSchema,
  KeySchema,
  ScalarSchema,
  TOTAL_WEIGHT,
  WeightsSchema,
} from './schema/primitives.js';
export {
  RampSchema,
  type Rollout,
  RolloutSchema,
  ScheduleStepSchema,
  type Serve,
  ServeSchema,
} from './schema/rollout.js';
export { type Segment, SegmentSchema } from './schema/segment.js';
export {
  MAX_TABLE_WEIGHT,
  SubjectWeightSchema,
  totalWeight,
  type WeightTable,
  WeightTableSchema,
} from './schema/subject-weights.js';
export {
  isSignedFlagSet,
  SIGNED_FLAG_SET_FORMAT,
  type SignedFlagSet,
  type SigningPublicKey,
  verifySignedFlagSet,
  verifySignedPayload,
} from './signing/verify.js';
