import type { Counter } from 'prom-client';
import type { Vexil } from '../services/vexil.js';
import { isPostgresUrl, postgresOptions } from '../stores/open-store.js';
import type { BusLogger, ChangeBus } from './change-bus.js';
import { createPostgresChangeBus } from './postgres-change-bus.js';
import { createRedisChangeBus } from './redis-change-bus.js';
import type { ReplicationConfig } from './replication-config.js';
import { createReplicator, type ReplicaSnapshots, type Replicator } from './replicator.js';

/**
 * The replication `vexil serve` runs: the Redis bus when configured, else LISTEN/NOTIFY on
 * PostgreSQL; nothing on SQLite (one server per file).
 */
export async function startReplication(
  config: ReplicationConfig,
  deps: {
    db: string;
    vexil: Vexil;
    snapshots: ReplicaSnapshots;
    notifications?: Counter<'source'> | undefined;
    logger: BusLogger;
  },
): Promise<Replicator | undefined> {
  let bus: ChangeBus | undefined;
  if (config.redis !== undefined) {
    bus = createRedisChangeBus({ url: config.redis, prefix: config.redisPrefix, logger: deps.logger });
  } else if (isPostgresUrl(deps.db)) {
    const { connectionString, schema } = postgresOptions(deps.db);
    bus = createPostgresChangeBus({ connectionString, schema, logger: deps.logger });
  }
  if (bus === undefined) return undefined;
  const replicator = createReplicator({
    vexil: deps.vexil,
    snapshots: deps.snapshots,
    bus,
    catchUpSeconds: config.catchUpSeconds,
    notifications: deps.notifications,
    logger: deps.logger,
  });
  await replicator.start();
  return replicator;
}
