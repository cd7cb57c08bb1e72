import { performance } from 'node:perf_hooks';
import { NotFoundError } from '../errors/index.js';
import type { CommittedChange } from '../services/events.js';
import type { FlagSetScope } from '../services/flag-sets/build-flag-set.js';
import type { Vexil } from '../services/vexil.js';
import type { ChangeRecord, EnvironmentChanges } from '../stores/types.js';
import { EnvironmentView } from './environment-view.js';
import { PatchLog, type PatchLogLimits } from './patch-log.js';
import type { SigningKeys } from './signing/signing-keys.js';
import type { BuiltSnapshot, Snapshot } from './snapshot.js';
import { diffSnapshots, type PatchRecord, type SnapshotPatch } from './snapshot-patch.js';

/** A snapshot was swapped in: what subscribers (streams, bucket publishing, metrics) hear. */
export interface SnapshotSwap {
  readonly project: string;
  readonly environment: string;
  readonly scope: FlagSetScope;
  readonly version: number;
  /** The version replaced (0 when the environment was just loaded). */
  readonly previousVersion: number;
  readonly patch: SnapshotPatch;
  /** The patch as JSON text, serialized once. */
  readonly patchJson: string;
  readonly snapshot: Snapshot;
  /** `performance.now()` when this process learned of the change (commit or remote notice). */
  readonly learnedAt: number;
}

/** An environment is gone (deleted, or its project deleted). */
export interface SnapshotRemoval {
  readonly project: string;
  readonly environment: string;
}

/** Minimal logger (pino's shape). */
export interface DeliveryLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SnapshotManagerOptions {
  readonly vexil: Vexil;
  readonly keys: SigningKeys;
  readonly logger?: DeliveryLogger | undefined;
  /** Patches kept per environment and scope for stream resumes. */
  readonly patchLog?: PatchLogLimits | undefined;
}

type Unsubscribe = () => void;

interface Entry {
  readonly project: string;
  readonly environment: string;
  server: BuiltSnapshot | undefined;
  client: BuiltSnapshot | undefined;
  readonly logs: { readonly server: PatchLog; readonly client: PatchLog };
  /** The rebuild in progress. */
  building: Promise<void> | undefined;
  /** Another rebuild is wanted once this one ends. */
  again: boolean;
  /** Earliest `performance.now()` of the changes the next rebuild picks up. */
  learnedAt: number | undefined;
  retryTimer: NodeJS.Timeout | undefined;
  retryDelay: number;
  waiters: { version: number; resolve: () => void }[];
  /** The environment's flags and segments, serialized, kept from one build to the next. */
  readonly view: EnvironmentView;
}

const silent: DeliveryLogger = { info() {}, warn() {}, error() {} };
const LOAD_CONCURRENCY = 4;
/** Change-log rows read to catch up; more than that, and the whole environment is read. */
const DELTA_ROWS = 256;

/**
 * In-memory, immutable, versioned snapshots per (project, environment, scope), rebuilt
 * from the store and swapped atomically after each committed change. Reads (`get`) are a
 * map lookup: they never wait on writes or on the database. Versions never go backwards.
 * @example
 * const snapshots = new SnapshotManager({ vexil, keys });
 * await snapshots.start(); // loads every environment, then follows commits
 * snapshots.subscribe((swap) => publish(swap.snapshot));
 * snapshots.get('shop', 'production', 'client')?.body;
 */
export class SnapshotManager {
  private readonly entries = new Map<string, Entry>();
  private readonly swapListeners = new Set<(swap: SnapshotSwap) => void>();
  private readonly removalListeners = new Set<(removal: SnapshotRemoval) => void>();
  private readonly logger: DeliveryLogger;
  private unsubscribeCommits: Unsubscribe | undefined;
  private started = false;
  private closed = false;

  constructor(private readonly options: SnapshotManagerOptions) {
    this.logger = options.logger ?? silent;
  }

  /** Whether `start` has loaded every environment. */
  get loaded(): boolean {
    return this.started;
  }

  /** Follows commits and loads every environment of every project. */
  async start(): Promise<void> {
    this.unsubscribeCommits ??= this.options.vexil.events.committed((change) => this.onCommitted(change));
    const store = this.options.vexil.store;
    const all: { project: string; environment: string }[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await store.listProjects({ limit: 500, offset });
      for (const project of page.items) {
        for (const env of await store.listEnvironments(project.key))
          all.push({ project: project.key, environment: env.key });
      }
      if (page.items.length < 500) break;
    }
    let next = 0;
    const worker = async () => {
      while (next < all.length) {
        const { project, environment } = all[next++]!;
        await this.refresh(project, environment);
      }
    };
    await Promise.all(Array.from({ length: LOAD_CONCURRENCY }, worker));
    this.started = true;
  }

  /** Stops following commits and cancels retries. Snapshots stay readable. */
  close(): void {
    this.closed = true;
    this.unsubscribeCommits?.();
    this.unsubscribeCommits = undefined;
    for (const entry of this.entries.values()) {
      if (entry.retryTimer !== undefined) clearTimeout(entry.retryTimer);
      entry.retryTimer = undefined;
    }
  }

  /** The current snapshot, or undefined when the environment is not loaded (or doesn't exist). */
  get(project: string, environment: string, scope: FlagSetScope): Snapshot | undefined {
    return this.entries.get(keyOf(project, environment))?.[scope];
  }

  /** The current snapshot, loading the environment from the store first if needed. */
  async load(project: string, environment: string, scope: FlagSetScope): Promise<Snapshot> {
    const held = this.get(project, environment, scope);
    if (held !== undefined) return held;
    await this.refresh(project, environment);
    const loaded = this.get(project, environment, scope);
    if (loaded === undefined) throw new NotFoundError('environment', `${project}/${environment}`);
    return loaded;
  }

  /**
   * The patches after `version` up to the current one (none when it is current), or undefined
   * when they are no longer all held: then a full snapshot is needed.
   */
  patchesSince(
    project: string,
    environment: string,
    scope: FlagSetScope,
    version: number,
  ): readonly PatchRecord[] | undefined {
    const entry = this.entries.get(keyOf(project, environment));
    const current = entry?.[scope];
    if (entry === undefined || current === undefined) return undefined;
    return entry.logs[scope].since(version, current.version);
  }

  /** Every loaded environment with its version (for metrics). */
  *environments(): Iterable<{ project: string; environment: string; version: number }> {
    for (const entry of this.entries.values()) {
      if (entry.server !== undefined)
        yield { project: entry.project, environment: entry.environment, version: entry.server.version };
    }
  }

  /** Hears every swap, after it happened, in version order per environment and scope. */
  subscribe(listener: (swap: SnapshotSwap) => void): Unsubscribe {
    this.swapListeners.add(listener);
    return () => this.swapListeners.delete(listener);
  }

  /** Hears environments that disappeared. */
  onRemoved(listener: (removal: SnapshotRemoval) => void): Unsubscribe {
    this.removalListeners.add(listener);
    return () => this.removalListeners.delete(listener);
  }

  /**
   * Another server committed `version` in this environment: reload it from the store and
   * swap if newer. Resolves once the snapshot is at `version` or later (or the environment
   * turned out to be gone).
   */
  async applyRemoteChange(project: string, environment: string, version: number): Promise<void> {
    const held = this.get(project, environment, 'server');
    if (held !== undefined && held.version >= version) return;
    const learnedAt = performance.now();
    await this.schedule(project, environment, learnedAt, true);
  }

  /** Rebuilds the environment from the store now (loads it when new, drops it when gone). */
  refresh(project: string, environment: string): Promise<void> {
    return this.schedule(project, environment, performance.now(), true);
  }

  /** Resolves when the environment's snapshot reaches `version`, or after `timeoutMs` (false). */
  waitForVersion(project: string, environment: string, version: number, timeoutMs: number): Promise<boolean> {
    const entry = this.entries.get(keyOf(project, environment));
    if (entry === undefined) return Promise.resolve(false);
    if ((entry.server?.version ?? 0) >= version) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { version, resolve: () => resolve(true) };
      entry.waiters.push(waiter);
      setTimeout(() => {
        const i = entry.waiters.indexOf(waiter);
        if (i >= 0) entry.waiters.splice(i, 1);
        resolve(false);
      }, timeoutMs).unref();
    });
  }

  private onCommitted(change: CommittedChange): void {
    const learnedAt = performance.now();
    for (const { environment } of change.environments)
      void this.schedule(change.project, environment, learnedAt, true);
    for (const environment of change.removedEnvironments)
      void this.schedule(change.project, environment, learnedAt, false);
  }

  /** Rebuilds the environment; concurrent requests coalesce into at most one more rebuild. */
  private schedule(project: string, environment: string, learnedAt: number, create: boolean): Promise<void> {
    const key = keyOf(project, environment);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (!create) return Promise.resolve();
      entry = newEntry(project, environment, this.options.patchLog);
      this.entries.set(key, entry);
    }
    entry.learnedAt = Math.min(entry.learnedAt ?? learnedAt, learnedAt);
    if (entry.building !== undefined) {
      entry.again = true;
      return entry.building;
    }
    const run = async (e: Entry) => {
      do {
        e.again = false;
        await this.rebuild(e);
      } while (e.again && !this.closed);
    };
    entry.building = run(entry).finally(() => {
      entry.building = undefined;
    });
    return entry.building;
  }

  private async rebuild(entry: Entry): Promise<void> {
    const learnedAt = entry.learnedAt ?? performance.now();
    entry.learnedAt = undefined;
    const { keys } = this.options;
    let moved: boolean | undefined;
    try {
      moved = await this.catchUp(entry);
    } catch (error) {
      this.retryLater(entry, error);
      return;
    }
    entry.retryDelay = 0;
    const key = keyOf(entry.project, entry.environment);
    if (moved === undefined) {
      if (this.entries.get(key) !== entry) return;
      this.entries.delete(key);
      for (const w of entry.waiters.splice(0)) w.resolve();
      if (entry.server !== undefined)
        this.emitRemoval({ project: entry.project, environment: entry.environment });
      return;
    }
    if (!moved) return;
    const version = entry.view.version;
    const built = entry.view.build(new Date().toISOString(), keys);
    const swaps: SnapshotSwap[] = [];
    for (const scope of ['server', 'client'] as const) {
      const previous = entry[scope];
      const next = built[scope];
      const record = diffSnapshots(previous, next);
      if (previous !== undefined) entry.logs[scope].push(record);
      entry[scope] = next;
      swaps.push({
        project: entry.project,
        environment: entry.environment,
        scope,
        version: next.version,
        previousVersion: record.previousVersion,
        patch: record.patch,
        patchJson: record.json,
        snapshot: next,
        learnedAt,
      });
    }
    // Nothing else is done for the new snapshots here: body, compressed bodies, envelope and
    // compiled flag set are made on first demand, so the streams get the patch first and a
    // version nobody asks for costs nothing more.
    for (const swap of swaps) this.emitSwap(swap);
    const ready = entry.waiters.filter((w) => w.version <= version);
    entry.waiters = entry.waiters.filter((w) => w.version > version);
    for (const w of ready) w.resolve();
  }

  /**
   * Brings the environment's view up to date with the store: with what changed since the
   * version held when the change log has all of it (one read of a few rows), else with a
   * read of the whole environment. True when the view moved to a newer version, false when
   * there was nothing newer, undefined when the environment is gone.
   */
  private async catchUp(entry: Entry): Promise<boolean | undefined> {
    const store = this.options.vexil.store;
    const held = entry.server?.version;
    if (held !== undefined) {
      const delta = await store.readEnvironmentChanges(entry.project, entry.environment, held, DELTA_ROWS);
      if (delta === undefined) return undefined;
      if (delta.environment.version <= held) return false;
      if (delta.changes.length < DELTA_ROWS && chains(delta, entry.environment, held)) {
        entry.view.update(
          delta.environment,
          byKey(delta.changes, (c) => c.flags, delta.flags),
          byKey(delta.changes, (c) => c.segments, delta.segments),
          delta.weightTables,
        );
        return true;
      }
    }
    const state = await store.readEnvironmentState(entry.project, entry.environment);
    if (state === undefined) return undefined;
    if (held !== undefined && state.environment.version <= held) return false;
    entry.view.load(state);
    return true;
  }

  private retryLater(entry: Entry, error: unknown): void {
    entry.retryDelay = Math.min(Math.max(entry.retryDelay * 2, 250), 10_000);
    this.logger.warn(
      { err: error, project: entry.project, environment: entry.environment, retryInMs: entry.retryDelay },
      'could not rebuild a snapshot; retrying',
    );
    if (this.closed || entry.retryTimer !== undefined) return;
    entry.retryTimer = setTimeout(() => {
      entry.retryTimer = undefined;
      void this.schedule(entry.project, entry.environment, performance.now(), false);
    }, entry.retryDelay);
    entry.retryTimer.unref();
  }

  private emitSwap(swap: SnapshotSwap): void {
    for (const listener of this.swapListeners) {
      try {
        listener(swap);
      } catch (error) {
        this.logger.error({ err: error }, 'a snapshot listener failed');
      }
    }
  }

  private emitRemoval(removal: SnapshotRemoval): void {
    for (const listener of this.removalListeners) {
      try {
        listener(removal);
      } catch (error) {
        this.logger.error({ err: error }, 'a snapshot removal listener failed');
      }
    }
  }
}

/**
 * Whether the environment's own change-log rows lead from `held` to its current version
 * without a gap (a version is missing when the environment was deleted and created again).
 */
function chains(delta: EnvironmentChanges, environment: string, held: number): boolean {
  let at = held;
  for (const change of delta.changes) {
    if (change.environment !== environment) continue;
    if (change.previousVersion !== at) return false;
    at = change.version;
  }
  return at === delta.environment.version;
}

/** Every key the changes name, with its current record (undefined: deleted). */
function byKey<T extends { key: string }>(
  changes: readonly ChangeRecord[],
  names: (change: ChangeRecord) => readonly string[],
  records: readonly T[],
): Map<string, T | undefined> {
  const found = new Map(records.map((r) => [r.key, r]));
  const out = new Map<string, T | undefined>();
  for (const change of changes) for (const key of names(change)) out.set(key, found.get(key));
  return out;
}

function keyOf(project: string, environment: string): string {
  return `${project}\u0000${environment}`;
}

function newEntry(project: string, environment: string, limits: PatchLogLimits | undefined): Entry {
  return {
    project,
    environment,
    server: undefined,
    client: undefined,
    logs: { server: new PatchLog(limits), client: new PatchLog(limits) },
    building: undefined,
    again: false,
    learnedAt: undefined,
    retryTimer: undefined,
    retryDelay: 0,
    waiters: [],
    view: new EnvironmentView(),
  };
}
