import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { createDelivery, type Delivery } from '../delivery/delivery.js';
import { createEventPipeline } from '../events/event-pipeline.js';
import { createFileExporter } from '../events/ndjson-exporters.js';
import { createServer } from '../http/create-server.js';
import { configuredPublisher } from '../publishing/configured-publisher.js';
import type { startReplication as StartReplication } from '../replication/start-replication.js';
import { createVexil, type Vexil } from '../services/vexil.js';
import { isPostgresUrl, openStore } from '../stores/open-store.js';
import type { Store } from '../stores/store.js';
import { adminKeyNotice, bootstrap } from './bootstrap.js';
import type { ServeConfig } from './config.js';

/** A running server. */
export interface RunningServer {
  readonly app: FastifyInstance;
  readonly vexil: Vexil;
  readonly store: Store;
  /** Snapshots, streams, signing keys and metrics (see the README's "Delivery"). */
  readonly delivery: Delivery;
  /** `http://host:port`, with the port actually bound (useful with port 0). */
  readonly url: string;
  /**
   * Graceful shutdown: stops taking requests, closes streams with a retry hint, waits for the
   * requests in flight, then closes the store.
   */
  close(): Promise<void>;
}

/**
 * Opens the store (migrating it when configured to), prepares a fresh database, and
 * listens. `print` shows the one-time admin key notice (default: stdout).
 */
export async function startServer(
  config: ServeConfig,
  print: (text: string) => void = (t) => process.stdout.write(`${t}\n`),
): Promise<RunningServer> {
  const store = await openStore({ db: config.db, migrate: config.migrate && !config.readOnly });
  // What is running, stopped in this order on close or when starting fails.
  const running: { close(): Promise<void> | void }[] = [];
  try {
    const vexil = createVexil({ store, keys: { recordLastUsed: !config.readOnly } });
    const delivery = createDelivery({ vexil, signing: config.signing, readOnly: config.readOnly });
    const log = forwardingLogger();
    const events = createEventPipeline({
      store,
      maxQueuedEvents: config.events.queueSize,
      exporters: config.events.file === undefined ? [] : [createFileExporter({ path: config.events.file })],
      metrics: delivery.metrics.registry,
      logger: log,
    });
    const publishing = configuredPublisher(config.publishing, {
      source: delivery.snapshots,
      metrics: delivery.metrics,
      logger: log,
    });
    const app = await createServer({
      vexil,
      readOnly: config.readOnly,
      logger: { level: config.logLevel },
      delivery,
      events,
      ...(publishing === undefined ? {} : { publishing }),
    });
    log.to(app.log);
    // The server first (requests in flight are answered, streams closed), then the event queue is flushed.
    running.push(app, events);
    vexil.events.onListenerError = (error, action) =>
      app.log.error({ err: error, action }, 'event listener failed');
    const boot = config.readOnly ? undefined : await bootstrap(vexil, { adminToken: config.adminToken });
    delivery.setLogger(app.log);
    await delivery.start();
    const replication = await startReplicationIfAny(config, {
      vexil,
      snapshots: delivery.snapshots,
      notifications: delivery.metrics.replicaNotifications,
      logger: log,
    });
    if (replication !== undefined) running.push(replication);
    if (publishing !== undefined) {
      publishing.start();
      running.push(publishing);
    }
    running.push(delivery);
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    if (boot?.generatedAdminKey !== undefined) print(adminKeyNotice(boot.generatedAdminKey, url));
    for (const warning of boot?.warnings ?? []) app.log.warn(warning);
    if (boot?.adminTokenAdded) app.log.info('VEXIL_ADMIN_TOKEN was added as an admin key');
    app.log.info(
      {
        url,
        port,
        store: store.dialect,
        readOnly: config.readOnly,
        firstStart: boot?.firstStart ?? false,
        changeBus:
          config.replication.redis !== undefined ? 'redis' : replication !== undefined ? 'postgres' : 'none',
        publishing: publishing !== undefined,
      },
      'vexil ready',
    );
    return {
      app,
      vexil,
      store,
      delivery,
      url,
      async close() {
        for (const part of running.splice(0)) await part.close();
        await store.close();
      },
    };
  } catch (error) {
    for (const part of running.splice(0)) await Promise.resolve(part.close()).catch(() => undefined);
    await store.close();
    throw error;
  }
}

/**
 * Replication when there is any (Redis configured, or PostgreSQL's LISTEN/NOTIFY): loaded
 * only then, so a SQLite server never loads the PostgreSQL or Redis clients.
 */
async function startReplicationIfAny(
  config: ServeConfig,
  deps: Omit<Parameters<typeof StartReplication>[1], 'db'>,
): Promise<Awaited<ReturnType<typeof StartReplication>>> {
  if (config.replication.redis === undefined && !isPostgresUrl(config.db)) return undefined;
  const { startReplication } = await import('../replication/start-replication.js');
  return startReplication(config.replication, { ...deps, db: config.db });
}

/** A logger for the parts made before the server (whose logger they use once it exists). */
function forwardingLogger() {
  let target: FastifyBaseLogger | undefined;
  return {
    to(logger: FastifyBaseLogger) {
      target = logger;
    },
    info: (obj: object, msg?: string) => target?.info(obj, msg),
    warn: (obj: object, msg?: string) => target?.warn(obj, msg),
    error: (obj: object, msg?: string) => target?.error(obj, msg),
  };
}
