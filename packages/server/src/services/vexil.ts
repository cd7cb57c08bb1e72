import type { Store } from '../stores/store.js';
import { AuditService } from './audit-service.js';
import { ServiceContext } from './context.js';
import { EnvironmentService } from './environment-service.js';
import { LifecycleEvents } from './events.js';
import { FlagSetService } from './flag-sets/flag-set-service.js';
import { ExperimentService } from './flags/experiment-service.js';
import { FlagService } from './flags/flag-service.js';
import { RolloutService } from './flags/rollout-service.js';
import { RuleService } from './flags/rule-service.js';
import { TargetingService } from './flags/targeting-service.js';
import { VariantService } from './flags/variant-service.js';
import { ImportExportService } from './io/import-service.js';
import { ApiKeyService, type ApiKeyServiceOptions } from './keys/api-key-service.js';
import { ProjectService } from './project-service.js';
import { SegmentService } from './segment-service.js';
import { SubjectWeightService } from './subject-weight-service.js';

export interface VexilOptions {
  /** Where everything is kept (`createSqliteStore`, `createPostgresStore` or `openStore`). */
  readonly store: Store;
  /** The clock (default: the system clock); tests pass their own. */
  readonly clock?: () => Date;
  readonly keys?: ApiKeyServiceOptions;
}

/** Vexil's domain services on one store: everything the HTTP API does, usable in-process. */
export interface Vexil {
  readonly store: Store;
  readonly events: LifecycleEvents;
  readonly projects: ProjectService;
  readonly environments: EnvironmentService;
  readonly flags: FlagService;
  readonly variants: VariantService;
  readonly rules: RuleService;
  readonly targeting: TargetingService;
  readonly rollouts: RolloutService;
  readonly experiments: ExperimentService;
  readonly segments: SegmentService;
  readonly subjectWeights: SubjectWeightService;
  readonly keys: ApiKeyService;
  readonly audit: AuditService;
  readonly flagSets: FlagSetService;
  readonly io: ImportExportService;
}

/**
 * Creates Vexil's domain services on a store (Flipper's model: embed it, no HTTP needed).
 * @example
 * const vexil = createVexil({ store: await openStore({ db: './vexil.db' }) });
 * await vexil.projects.create('shop');
 * await vexil.flags.create('shop', 'new-checkout', { type: 'boolean' }, { actor: 'alice' });
 * await vexil.flags.enable('shop', 'production', 'new-checkout');
 * const set = await vexil.flagSets.build('shop', 'production', 'server');
 */
export function createVexil(options: VexilOptions): Vexil {
  const events = new LifecycleEvents();
  const ctx = new ServiceContext(options.store, events, options.clock ?? (() => new Date()));
  return {
    store: options.store,
    events,
    projects: new ProjectService(ctx),
    environments: new EnvironmentService(ctx),
    flags: new FlagService(ctx),
    variants: new VariantService(ctx),
    rules: new RuleService(ctx),
    targeting: new TargetingService(ctx),
    rollouts: new RolloutService(ctx),
    experiments: new ExperimentService(ctx),
    segments: new SegmentService(ctx),
    subjectWeights: new SubjectWeightService(ctx),
    keys: new ApiKeyService(ctx, options.keys),
    audit: new AuditService(ctx),
    flagSets: new FlagSetService(ctx),
    io: new ImportExportService(ctx),
  };
}
