import type { Redis } from 'ioredis';
import {
  type BusLogger,
  type ChangeBus,
  type ChangeBusHandlers,
  type ChangeNotice,
  parseNotice,
  silentLogger,
} from './change-bus.js';

export interface RedisChangeBusOptions {
  /** `redis://[:password@]host:6379[/db]` (or `rediss://` for TLS). */
  readonly url: string;
  /** Prefix of the channel (`<prefix>changes`, default `vexil:`): one per deployment sharing a Redis. */
  readonly prefix?: string | undefined;
  readonly logger?: BusLogger | undefined;
}

/**
 * Redis pub/sub as the change bus: each server publishes the changes it commits on
 * `<prefix>changes` and subscribes to it. ioredis reconnects by itself (with backoff); each
 * time the subscription is back, `onConnect` lets the replica catch up from the database.
 * ioredis is loaded only when a Redis bus is made.
 * @example
 * const bus = createRedisChangeBus({ url: 'redis://127.0.0.1:6379', prefix: 'vexil:' });
 */
export function createRedisChangeBus(options: RedisChangeBusOptions): ChangeBus {
  return new RedisChangeBus(options);
}

class RedisChangeBus implements ChangeBus {
  readonly name = 'redis';
  private subscriber: Redis | undefined;
  private publisher: Redis | undefined;
  private subscribed = false;
  private closed = false;
  private readonly channel: string;
  private readonly logger: BusLogger;

  constructor(private readonly options: RedisChangeBusOptions) {
    this.channel = `${options.prefix ?? 'vexil:'}changes`;
    this.logger = options.logger ?? silentLogger;
  }

  get connected(): boolean {
    return this.subscribed;
  }

  async start(handlers: ChangeBusHandlers): Promise<void> {
    const { Redis } = await import('ioredis');
    const common = {
      lazyConnect: true,
      retryStrategy: (times: number) => Math.min(250 * 2 ** Math.min(times, 5), 5000),
      connectionName: 'vexil-change-bus',
    };
    // A publish while Redis is away fails at once (the replicas catch up later) instead of queueing.
    const publisher = new Redis(this.options.url, {
      ...common,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
    });
    const subscriber = new Redis(this.options.url, common);
    this.publisher = publisher;
    this.subscriber = subscriber;
    let warned = false;
    const onError = (error: Error) => {
      if (warned || this.closed) return;
      warned = true;
      this.logger.warn({ err: error }, 'Redis change bus: connection failed; retrying');
    };
    publisher.on('error', onError);
    subscriber.on('error', onError);
    subscriber.on('close', () => {
      if (this.subscribed && !this.closed) this.logger.warn({}, 'lost the Redis change bus; reconnecting');
      this.subscribed = false;
    });
    subscriber.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const notice = parseNotice(message);
      if (notice !== undefined) handlers.onChange(notice);
    });
    subscriber.on('ready', () => {
      warned = false;
      // ioredis re-subscribes by itself after a reconnect; subscribing again is harmless and
      // tells us when the subscription is really back.
      subscriber
        .subscribe(this.channel)
        .then(() => {
          if (this.closed) return;
          this.subscribed = true;
          handlers.onConnect();
        })
        .catch((error: unknown) => this.logger.warn({ err: error }, 'Redis change bus: subscribe failed'));
    });
    await Promise.all([subscriber.connect().catch(onError), publisher.connect().catch(onError)]);
  }

  async publish(notice: ChangeNotice): Promise<void> {
    if (this.publisher === undefined || this.closed) return;
    try {
      await this.publisher.publish(this.channel, JSON.stringify(notice));
    } catch (error) {
      this.logger.warn(
        { err: error, project: notice.project, environment: notice.environment, version: notice.version },
        'could not publish a change on Redis; other servers will catch up from the database',
      );
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribed = false;
    for (const client of [this.subscriber, this.publisher]) {
      if (client === undefined) continue;
      await client.quit().catch(() => client.disconnect());
    }
  }
}
