import { Option } from 'commander';
import type { Issue } from '../errors/index.js';
import { integerOf, textOf, urlOf } from '../server/config-values.js';

/** How a server keeps up with the others sharing its database. */
export interface ReplicationConfig {
  /** Redis change bus instead of PostgreSQL's LISTEN/NOTIFY. */
  readonly redis: string | undefined;
  /** Channel prefix on Redis (one per deployment sharing a Redis). */
  readonly redisPrefix: string;
  /** Seconds between catch-ups from the database (0: none). */
  readonly catchUpSeconds: number;
}

export interface ReplicationFlags {
  readonly redis?: string | undefined;
  readonly redisPrefix?: string | undefined;
  readonly catchUp?: string | undefined;
}

export const REPLICATION_DEFAULTS = { redisPrefix: 'vexil:', catchUpSeconds: 30 } as const;

export function resolveReplicationConfig(
  flags: ReplicationFlags,
  env: NodeJS.ProcessEnv,
  issues: Issue[],
): ReplicationConfig {
  return {
    redis: urlOf({ flag: flags.redis, flagName: '--redis', envName: 'VEXIL_REDIS' }, env, issues, [
      'redis:',
      'rediss:',
    ]),
    redisPrefix:
      textOf({ flag: flags.redisPrefix, flagName: '--redis-prefix', envName: 'VEXIL_REDIS_PREFIX' }, env)
        .value ?? REPLICATION_DEFAULTS.redisPrefix,
    catchUpSeconds: integerOf(
      { flag: flags.catchUp, flagName: '--catch-up', envName: 'VEXIL_CATCH_UP' },
      env,
      issues,
      {
        min: 0,
        max: 86_400,
        fallback: REPLICATION_DEFAULTS.catchUpSeconds,
      },
    ),
  };
}

/** The `vexil serve` options of replicas. */
export function replicationOptions(): Option[] {
  return [
    new Option(
      '--redis <url>',
      'carry changes between servers over Redis pub/sub instead of PostgreSQL LISTEN/NOTIFY (env: VEXIL_REDIS)',
    ),
    new Option(
      '--redis-prefix <prefix>',
      `Redis channel prefix, one per deployment (env: VEXIL_REDIS_PREFIX, default: ${REPLICATION_DEFAULTS.redisPrefix})`,
    ),
    new Option(
      '--catch-up <seconds>',
      `check the database for changes this server missed every so often; 0: only on reconnect (env: VEXIL_CATCH_UP, default: ${REPLICATION_DEFAULTS.catchUpSeconds})`,
    ),
  ];
}
