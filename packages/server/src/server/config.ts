import type { SigningOptions } from '../delivery/signing/signing-keys.js';
import { ValidationError } from '../errors/index.js';
import { type EventsConfig, type EventsFlags, resolveEventsConfig } from '../events/events-config.js';
import {
  type PublishingConfig,
  type PublishingFlags,
  resolvePublishingConfig,
} from '../publishing/publishing-config.js';
import {
  type ReplicationConfig,
  type ReplicationFlags,
  resolveReplicationConfig,
} from '../replication/replication-config.js';
import { isPostgresUrl } from '../stores/open-store.js';

/** Everything `vexil serve` needs, from flags and `VEXIL_*` environment variables. */
export interface ServeConfig {
  readonly db: string;
  readonly port: number;
  readonly host: string;
  readonly readOnly: boolean;
  readonly migrate: boolean;
  readonly logLevel: string;
  /** `VEXIL_ADMIN_TOKEN`: becomes an admin key (on the first start, or whenever it is missing). */
  readonly adminToken: string | undefined;
  /**
   * `VEXIL_SIGNING_KEY` (an Ed25519 private key, PEM or base64 PKCS#8 DER), `VEXIL_SIGNING_KEY_ID`,
   * `VEXIL_SIGNING_PREVIOUS_KEYS` (`keyId=base64SPKI,…`): sign snapshots with this key instead of
   * the one the store keeps.
   */
  readonly signing: SigningOptions;
  /** Event ingestion: queue size, NDJSON export. */
  readonly events: EventsConfig;
  /** Change bus (Redis or PostgreSQL LISTEN/NOTIFY) and catch-up of replicas. */
  readonly replication: ReplicationConfig;
  /** Bucket / directory publishing of flag files. */
  readonly publishing: PublishingConfig;
}

/** Flags as commander parsed them (undefined when not given). */
export interface ServeFlags extends EventsFlags, ReplicationFlags, PublishingFlags {
  readonly db?: string | undefined;
  readonly port?: string | undefined;
  readonly host?: string | undefined;
  readonly readOnly?: boolean | undefined;
  readonly migrate?: boolean | undefined;
  readonly logLevel?: string | undefined;
}

export const DEFAULTS = {
  db: './vexil.db',
  port: 4280,
  host: '0.0.0.0',
  logLevel: 'info',
} as const satisfies Partial<ServeConfig>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
/** Shortest admin token accepted, so a guessable one never guards the admin API. */
export const MIN_ADMIN_TOKEN_LENGTH = 20;

/** Flags win over environment variables, which win over defaults. Throws naming every bad value. */
export function resolveServeConfig(flags: ServeFlags, env: NodeJS.ProcessEnv): ServeConfig {
  const issues: { path: string; message: string }[] = [];
  const db = flags.db ?? nonEmpty(env.VEXIL_DB) ?? DEFAULTS.db;
  const portText = flags.port ?? nonEmpty(env.VEXIL_PORT);
  const port = portText === undefined ? DEFAULTS.port : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    issues.push({
      path: flags.port === undefined ? 'VEXIL_PORT' : '--port',
      message: `expected a port 0–65535, got ${JSON.stringify(portText)}`,
    });
  }
  const readOnly = flags.readOnly ?? envBool(env, 'VEXIL_READ_ONLY', issues) ?? false;
  const migrate = flags.migrate ?? envBool(env, 'VEXIL_MIGRATE', issues) ?? !isPostgresUrl(db);
  const logLevel = flags.logLevel ?? nonEmpty(env.VEXIL_LOG_LEVEL) ?? DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    issues.push({
      path: flags.logLevel === undefined ? 'VEXIL_LOG_LEVEL' : '--log-level',
      message: `expected one of ${LOG_LEVELS.join(', ')}`,
    });
  }
  const adminToken = nonEmpty(env.VEXIL_ADMIN_TOKEN);
  if (adminToken !== undefined && adminToken.length < MIN_ADMIN_TOKEN_LENGTH) {
    issues.push({
      path: 'VEXIL_ADMIN_TOKEN',
      message: `use at least ${MIN_ADMIN_TOKEN_LENGTH} characters (a long random secret)`,
    });
  }
  const events = resolveEventsConfig(flags, env, issues);
  const replication = resolveReplicationConfig(flags, env, issues);
  const publishing = resolvePublishingConfig(flags, env, issues);
  if (issues.length > 0) throw new ValidationError(issues, 'invalid configuration');
  return {
    db,
    port,
    host: flags.host ?? nonEmpty(env.VEXIL_HOST) ?? DEFAULTS.host,
    readOnly,
    migrate,
    logLevel,
    adminToken,
    signing: signingOf(env),
    events,
    replication,
    publishing,
  };
}

function signingOf(env: NodeJS.ProcessEnv): SigningOptions {
  const privateKey = nonEmpty(env.VEXIL_SIGNING_KEY);
  if (privateKey === undefined) return {};
  const previous = nonEmpty(env.VEXIL_SIGNING_PREVIOUS_KEYS);
  return {
    privateKey,
    keyId: nonEmpty(env.VEXIL_SIGNING_KEY_ID),
    previousKeys:
      previous === undefined
        ? undefined
        : previous
            .split(',')
            .map((k) => k.trim())
            .filter((k) => k !== ''),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

function envBool(
  env: NodeJS.ProcessEnv,
  name: string,
  issues: { path: string; message: string }[],
): boolean | undefined {
  const value = nonEmpty(env[name])?.toLowerCase();
  if (value === undefined) return undefined;
  if (['1', 'true', 'yes', 'on'].includes(value)) return true;
  if (['0', 'false', 'no', 'off'].includes(value)) return false;
  issues.push({ path: name, message: `expected true or false, got ${JSON.stringify(env[name])}` });
  return undefined;
}
