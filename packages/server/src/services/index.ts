export { ACTIONS, type Action } from './actions.js';
export { AuditService } from './audit-service.js';
export type { WriteOptions } from './context.js';
export { type EnvironmentInput, EnvironmentService } from './environment-service.js';
export {
  type AfterListener,
  type BeforeListener,
  type CommittedChange,
  type CommittedListener,
  type LifecycleEvent,
  LifecycleEvents,
  type Veto,
  veto,
} from './events.js';
export { buildFlagSet, type FlagSetScope, flattenFlag } from './flag-sets/build-flag-set.js';
export { FlagSetService } from './flag-sets/flag-set-service.js';
export { type ExperimentInfo, ExperimentService, type ExperimentStatus } from './flags/experiment-service.js';
export { type FlagListOptions, type FlagMeta, FlagService } from './flags/flag-service.js';
export { RolloutService, type ServeTarget } from './flags/rollout-service.js';
export { type FlagTarget, RuleService } from './flags/rule-service.js';
export { TargetingService } from './flags/targeting-service.js';
export { VariantService } from './flags/variant-service.js';
export type { ImportDiff, ImportMode, ImportOptions } from './io/import-plan.js';
export { ImportExportService, type ImportResult } from './io/import-service.js';
export {
  ApiKeyService,
  type ApiKeyServiceOptions,
  type CreatedKey,
  type CreateKeyInput,
  DEFAULT_GRACE_SECONDS,
} from './keys/api-key-service.js';
export { hashSecret } from './keys/secrets.js';
export { DEFAULT_ENVIRONMENTS, type ProjectInput, ProjectService } from './project-service.js';
export { SegmentService } from './segment-service.js';
export { SubjectWeightService } from './subject-weight-service.js';
export { createVexil, type Vexil, type VexilOptions } from './vexil.js';
export {
  type ApiKeyView,
  apiKeyView,
  type FlagView,
  flagView,
  type SegmentView,
  segmentView,
  type WeightTableSummary,
  type WeightTableView,
  weightTableSummary,
  weightTableView,
} from './views.js';
