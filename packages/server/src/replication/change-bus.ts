/** A change committed by some server: an environment reached `version`. */
export interface ChangeNotice {
  readonly project: string;
  readonly environment: string;
  readonly version: number;
  readonly previousVersion: number;
}

/** What a change bus tells the replica. */
export interface ChangeBusHandlers {
  /** A server (maybe this one) committed a change. */
  onChange(notice: ChangeNotice): void;
  /**
   * The bus is connected (at start, and again after losing its connection): notices sent
   * before this moment may have been missed, so the replica catches up from the database.
   */
  onConnect(): void;
}

/**
 * Carries committed changes between the servers that share one database: PostgreSQL's
 * `LISTEN/NOTIFY` (`createPostgresChangeBus`) or Redis pub/sub (`createRedisChangeBus`).
 * A bus is only a fast path: a replica that misses a notice catches up from the database
 * by version (on reconnect, and periodically).
 */
export interface ChangeBus {
  /** `postgres` or `redis`: for logs and metrics. */
  readonly name: string;
  /** Whether the bus is connected now. */
  readonly connected: boolean;
  /** Connects (retrying in the background when it can't) and starts delivering notices. */
  start(handlers: ChangeBusHandlers): Promise<void>;
  /**
   * Announces a change committed by this server. PostgreSQL needs none (the store notifies
   * inside the transaction); Redis publishes it.
   */
  publish(notice: ChangeNotice): Promise<void>;
  close(): Promise<void>;
}

/** Parses a notice from a bus message; undefined when it is not one. */
export function parseNotice(text: string): (ChangeNotice & { schema?: string }) | undefined {
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    const { project, environment, version, previousVersion, schema } = value;
    if (typeof project !== 'string' || typeof environment !== 'string') return undefined;
    if (typeof version !== 'number' || !Number.isSafeInteger(version)) return undefined;
    const notice: ChangeNotice & { schema?: string } = {
      project,
      environment,
      version,
      previousVersion: typeof previousVersion === 'number' ? previousVersion : 0,
    };
    if (typeof schema === 'string') notice.schema = schema;
    return notice;
  } catch {
    return undefined;
  }
}

/** Minimal logger (pino's shape). */
export interface BusLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: BusLogger = { info() {}, warn() {}, error() {} };
