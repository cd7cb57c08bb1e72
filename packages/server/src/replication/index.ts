export type { BusLogger, ChangeBus, ChangeBusHandlers, ChangeNotice } from './change-bus.js';
export { createPostgresChangeBus, type PostgresChangeBusOptions } from './postgres-change-bus.js';
export { createRedisChangeBus, type RedisChangeBusOptions } from './redis-change-bus.js';
export {
  createReplicator,
  type ReplicaSnapshots,
  type Replicator,
  type ReplicatorOptions,
} from './replicator.js';
