import type { Counter } from 'prom-client';
import type { Vexil } from '../services/vexil.js';
import { type BusLogger, type ChangeBus, type ChangeNotice, silentLogger } from './change-bus.js';

/** What the replicator needs of the delivery layer's `SnapshotManager`. */
export interface ReplicaSnapshots {
  /** Reload the environment and swap in its snapshot if newer (resolves once at `version` or later). */
  applyRemoteChange(project: string, environment: string, version: number): Promise<void>;
  /** Rebuild from the store now (drops an environment that is gone). */
  refresh(project: string, environment: string): Promise<void>;
  /** The environments held, with the version served. */
  environments(): Iterable<{ project: string; environment: string; version: number }>;
}

export interface ReplicatorOptions {
  readonly vexil: Vexil;
  readonly snapshots: ReplicaSnapshots;
  readonly bus: ChangeBus;
  /** Seconds between catch-ups from the database, whatever the bus says (default 30; 0: never). */
  readonly catchUpSeconds?: number | undefined;
  /** `vexil_replica_notifications_total{source}` */
  readonly notifications?: Counter<'source'> | undefined;
  readonly logger?: BusLogger | undefined;
}

/** Keeps this server's snapshots in step with changes committed by the other servers. */
export interface Replicator {
  start(): Promise<void>;
  /**
   * Compares every environment's version in the database with the one served, and reloads
   * those that are behind (or new, or gone). Runs on every bus (re)connect and periodically.
   */
  catchUp(): Promise<void>;
  /** Whether the bus is connected (a replica without it still catches up periodically). */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** Recent versions this server committed, so their echo from the bus costs nothing. */
const OWN_LIMIT = 1000;

/**
 * Wires a change bus to the snapshots: notices from other servers reload the environment
 * (its snapshot is swapped, and its patch reaches this server's streams); this server's
 * commits are published on buses that need it (Redis). A replica never serves an older
 * version than it has seen: snapshots only move forward.
 * @example
 * const replicator = createReplicator({ vexil, snapshots: delivery.snapshots, bus });
 * await replicator.start();
 */
export function createReplicator(options: ReplicatorOptions): Replicator {
  const { vexil, snapshots, bus } = options;
  const logger = options.logger ?? silentLogger;
  const own = new Set<string>();
  let unsubscribe: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;

  const remember = (n: ChangeNotice) => {
    own.add(noticeKey(n));
    if (own.size > OWN_LIMIT) own.delete(own.values().next().value!);
  };

  const onChange = (notice: ChangeNotice) => {
    if (own.delete(noticeKey(notice))) return;
    options.notifications?.inc({ source: bus.name });
    snapshots
      .applyRemoteChange(notice.project, notice.environment, notice.version)
      .catch((error: unknown) => logger.warn({ err: error, ...notice }, 'could not apply a remote change'));
  };

  const scan = async () => {
    const held = new Map<string, number>();
    for (const e of snapshots.environments()) held.set(`${e.project}\u0000${e.environment}`, e.version);
    const seen = new Set<string>();
    const work: Promise<void>[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await vexil.store.listProjects({ limit: 500, offset });
      for (const project of page.items) {
        for (const env of await vexil.store.listEnvironments(project.key)) {
          const key = `${project.key}\u0000${env.key}`;
          seen.add(key);
          const version = held.get(key);
          if (version === undefined || version < env.version) {
            work.push(snapshots.applyRemoteChange(project.key, env.key, env.version));
          }
        }
      }
      if (page.items.length < 500) break;
    }
    for (const e of snapshots.environments()) {
      if (!seen.has(`${e.project}\u0000${e.environment}`))
        work.push(snapshots.refresh(e.project, e.environment));
    }
    await Promise.all(work);
  };

  const catchUp = (): Promise<void> => {
    if (closed) return Promise.resolve();
    if (running !== undefined) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        try {
          await scan();
        } catch (error) {
          logger.warn({ err: error }, 'could not catch up from the database; retrying later');
        }
      } while (again && !closed);
    })().finally(() => {
      running = undefined;
    });
    return running;
  };

  return {
    get connected() {
      return bus.connected;
    },
    catchUp,
    async start() {
      unsubscribe = vexil.events.committed((change) => {
        for (const e of change.environments) {
          const notice = { project: change.project, ...e };
          remember(notice);
          void bus.publish(notice);
        }
      });
      await bus.start({ onChange, onConnect: () => void catchUp() });
      const seconds = options.catchUpSeconds ?? 30;
      if (seconds > 0) {
        timer = setInterval(() => void catchUp(), seconds * 1000);
        timer.unref();
      }
    },
    async close() {
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      unsubscribe?.();
      await bus.close();
      await running;
    },
  };
}

function noticeKey(n: { project: string; environment: string; version: number }): string {
  return `${n.project}\u0000${n.environment}\u0000${n.version}`;
}
