import { ChangeVetoedError, TransientStoreError } from '../errors/index.js';
import type { Store, StoreWriter } from '../stores/store.js';
import type { ResourceType } from '../stores/types.js';
import type { CommittedChange, LifecycleEvent, LifecycleEvents } from './events.js';

/** Options every write accepts. */
export interface WriteOptions {
  /** Who makes the change, for the audit log and `createdBy`/`updatedBy` (default `system`). */
  readonly actor?: string | undefined;
  /** Fail with `VersionConflictError` unless the resource is still at this version. */
  readonly expectedVersion?: number | undefined;
  /**
   * For a write that creates or replaces (a weight table's `put`): `false` fails with
   * `VersionConflictError` if the resource exists (HTTP `If-None-Match: *`), `true` if it
   * doesn't (`If-Match: *`). An `expectedVersion` also requires it to exist.
   */
  readonly exists?: boolean | undefined;
  /** A note kept in the audit log. */
  readonly comment?: string | undefined;
}

/** One change made inside a commit, before the runner adds actor, time and comment. */
export interface Change {
  readonly action: string;
  readonly resourceType: ResourceType;
  readonly project: string | null;
  readonly environment: string | null;
  readonly key: string;
  readonly version: number | null;
  readonly before: unknown;
  readonly after: unknown;
}

/** What a commit changes for SDKs, per project. */
export interface Delivery {
  readonly project: string;
  readonly environments: readonly string[];
  readonly flags?: readonly string[];
  readonly segments?: readonly string[];
  readonly removedEnvironments?: readonly string[];
}

export interface ChangeSet<T> {
  readonly result: T;
  readonly changes: readonly Change[];
  readonly delivery?: readonly Delivery[];
}

/** Who and when, for a commit in progress. */
export interface CommitMeta {
  readonly actor: string;
  readonly at: string;
}

/** Thrown inside a commit to run it again from the start (an optimistic write lost a race). */
export class RetryChange extends Error {}

const MAX_ATTEMPTS = 5;

/** What every service shares: the store, the events, the clock, and the commit runner. */
export class ServiceContext {
  constructor(
    readonly store: Store,
    readonly events: LifecycleEvents,
    private readonly clock: () => Date,
  ) {}

  now(): string {
    return this.clock().toISOString();
  }

  nowMs(): number {
    return this.clock().getTime();
  }

  /**
   * Runs one change in one transaction: `fn` reads and writes; then before-listeners may
   * veto; then the audit entries, the environments' new versions and their change-log rows
   * are written — all committed together or not at all. After the commit, committed- and
   * after-listeners hear about it. Collisions with concurrent changes are retried.
   */
  async commit<T>(
    options: WriteOptions,
    fn: (tx: StoreWriter, meta: CommitMeta) => Promise<ChangeSet<T>>,
  ): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.commitOnce(options, fn);
      } catch (error) {
        const retry = error instanceof RetryChange || error instanceof TransientStoreError;
        if (!retry || attempt >= MAX_ATTEMPTS) {
          if (error instanceof RetryChange) {
            throw new TransientStoreError('the resource kept changing under this write; try again');
          }
          throw error;
        }
      }
    }
  }

  private async commitOnce<T>(
    options: WriteOptions,
    fn: (tx: StoreWriter, meta: CommitMeta) => Promise<ChangeSet<T>>,
  ): Promise<T> {
    const meta: CommitMeta = { actor: options.actor ?? 'system', at: this.now() };
    const comment = options.comment ?? null;
    const outcome = await this.store.transaction(async (tx) => {
      const set = await fn(tx, meta);
      const events: LifecycleEvent[] = set.changes.map((c) => ({
        ...c,
        actor: meta.actor,
        at: meta.at,
        comment,
      }));
      for (const event of events) {
        const reason = await this.events.runBefore(event);
        if (reason !== undefined) throw new ChangeVetoedError(event.action, reason);
      }
      for (const e of events) {
        await tx.appendAudit({
          at: e.at,
          actor: e.actor,
          action: e.action,
          resourceType: e.resourceType,
          project: e.project,
          environment: e.environment,
          resourceKey: e.key,
          version: e.version,
          before: e.before,
          after: e.after,
          comment: e.comment,
        });
      }
      const committed = await writeDeliveries(tx, set.delivery ?? [], events[0]?.action ?? 'change', meta.at);
      return { result: set.result, events, committed };
    });
    for (const change of outcome.committed) this.events.runCommitted(change);
    for (const event of outcome.events) await this.events.runAfter(event);
    return outcome.result;
  }
}

async function writeDeliveries(
  tx: StoreWriter,
  deliveries: readonly Delivery[],
  action: string,
  at: string,
): Promise<CommittedChange[]> {
  const committed: CommittedChange[] = [];
  for (const d of mergeByProject(deliveries)) {
    const { version, previous } = await tx.bumpEnvironmentVersions(d.project, d.environments);
    const flags = [...new Set(d.flags ?? [])].sort();
    const segments = [...new Set(d.segments ?? [])].sort();
    const environments = [];
    for (const [environment, previousVersion] of previous) {
      await tx.appendChange({
        project: d.project,
        environment,
        version,
        previousVersion,
        action,
        flags,
        segments,
        at,
      });
      environments.push({ environment, version, previousVersion });
    }
    const removedEnvironments = [...new Set(d.removedEnvironments ?? [])];
    if (environments.length === 0 && removedEnvironments.length === 0) continue;
    committed.push({
      project: d.project,
      version,
      environments,
      flags,
      segments,
      removedEnvironments,
      action,
      at,
    });
  }
  return committed;
}

function mergeByProject(deliveries: readonly Delivery[]): Delivery[] {
  const merged = new Map<
    string,
    { environments: string[]; flags: string[]; segments: string[]; removed: string[] }
  >();
  for (const d of deliveries) {
    let m = merged.get(d.project);
    if (m === undefined) {
      m = { environments: [], flags: [], segments: [], removed: [] };
      merged.set(d.project, m);
    }
    m.environments.push(...d.environments);
    m.flags.push(...(d.flags ?? []));
    m.segments.push(...(d.segments ?? []));
    m.removed.push(...(d.removedEnvironments ?? []));
  }
  return [...merged].map(([project, m]) => ({
    project,
    environments: [...new Set(m.environments)].filter((e) => !m.removed.includes(e)),
    flags: m.flags,
    segments: m.segments,
    removedEnvironments: m.removed,
  }));
}
