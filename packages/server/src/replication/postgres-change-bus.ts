import pg from 'pg';
import { CHANGES_CHANNEL } from '../stores/postgres/postgres-store.js';
import {
  type BusLogger,
  type ChangeBus,
  type ChangeBusHandlers,
  type ChangeNotice,
  parseNotice,
  silentLogger,
} from './change-bus.js';

export interface PostgresChangeBusOptions {
  /** The database the store uses (`postgres://…`, without Vexil's `?schema=`). */
  readonly connectionString: string;
  /** The store's schema: notices of other schemas on the same database are ignored (default `public`). */
  readonly schema?: string | undefined;
  readonly logger?: BusLogger | undefined;
  /** First delay before reconnecting; doubles up to `maxReconnectMs` (defaults 250 ms, 5 s). */
  readonly reconnectMs?: number | undefined;
  readonly maxReconnectMs?: number | undefined;
}

/**
 * Listens to `NOTIFY vexil_changes` on a connection of its own, and reconnects (with
 * backoff) when the connection drops; each time it is listening it calls `onConnect`, so
 * the replica catches up on what it missed.
 * @example
 * const bus = createPostgresChangeBus({ connectionString: 'postgres://db/vexil', schema: 'public' });
 */
export function createPostgresChangeBus(options: PostgresChangeBusOptions): ChangeBus {
  return new PostgresChangeBus(options);
}

class PostgresChangeBus implements ChangeBus {
  readonly name = 'postgres';
  private client: pg.Client | undefined;
  private handlers: ChangeBusHandlers | undefined;
  private timer: NodeJS.Timeout | undefined;
  private delay = 0;
  private everConnected = false;
  private closed = false;
  private readonly logger: BusLogger;
  private readonly schema: string;

  constructor(private readonly options: PostgresChangeBusOptions) {
    this.logger = options.logger ?? silentLogger;
    this.schema = options.schema ?? 'public';
  }

  get connected(): boolean {
    return this.client !== undefined;
  }

  async start(handlers: ChangeBusHandlers): Promise<void> {
    this.handlers = handlers;
    await this.connect();
  }

  async publish(_notice: ChangeNotice): Promise<void> {
    // The store's transaction already sent NOTIFY; PostgreSQL delivers it on commit.
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.closed) return;
    // An application_name in the URL wins over this one (operators find the listener by it).
    const client = new pg.Client({
      connectionString: this.options.connectionString,
      application_name: 'vexil-listener',
      connectionTimeoutMillis: 10_000,
    });
    let lost = false;
    const onLost = (error?: Error) => {
      if (lost) return;
      lost = true;
      if (this.client === client) this.client = undefined;
      client.end().catch(() => undefined);
      if (this.closed) return;
      this.logger.warn({ err: error }, 'lost the PostgreSQL change listener; reconnecting');
      this.retry();
    };
    client.on('error', onLost);
    client.on('end', () => onLost());
    client.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL || message.payload === undefined) return;
      const notice = parseNotice(message.payload);
      if (notice === undefined || (notice.schema ?? 'public') !== this.schema) return;
      this.handlers?.onChange(notice);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      onLost(error as Error);
      return;
    }
    if (lost || this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.delay = 0;
    if (this.everConnected) this.logger.info({}, 'PostgreSQL change listener reconnected; catching up');
    this.everConnected = true;
    this.handlers?.onConnect();
  }

  private retry(): void {
    if (this.closed || this.timer !== undefined) return;
    this.delay = Math.min(
      Math.max(this.delay * 2, this.options.reconnectMs ?? 250),
      this.options.maxReconnectMs ?? 5000,
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.connect();
    }, this.delay);
    this.timer.unref();
  }
}
