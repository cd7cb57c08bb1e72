import type { FastifyInstance } from 'fastify';
import { createDelivery, type Delivery } from '../delivery/delivery.js';
import { createServer } from '../http/create-server.js';
import { createVexil, type Vexil } from '../services/vexil.js';
import { openStore } from '../stores/open-store.js';
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
  try {
    const vexil = createVexil({ store, keys: { recordLastUsed: !config.readOnly } });
    const delivery = createDelivery({ vexil, signing: config.signing, readOnly: config.readOnly });
    const app = await createServer({
      vexil,
      readOnly: config.readOnly,
      logger: { level: config.logLevel },
      delivery,
    });
    vexil.events.onListenerError = (error, action) =>
      app.log.error({ err: error, action }, 'event listener failed');
    const boot = config.readOnly ? undefined : await bootstrap(vexil, { adminToken: config.adminToken });
    delivery.setLogger(app.log);
    await delivery.start();
    await app.listen({ port: config.port, host: config.host });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : config.port;
    const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
    const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
    if (boot?.generatedAdminKey !== undefined) print(adminKeyNotice(boot.generatedAdminKey, url));
    for (const warning of boot?.warnings ?? []) app.log.warn(warning);
    if (boot?.adminTokenAdded) app.log.info('VEXIL_ADMIN_TOKEN was added as an admin key');
    app.log.info(
      { url, port, store: store.dialect, readOnly: config.readOnly, firstStart: boot?.firstStart ?? false },
      'vexil ready',
    );
    return {
      app,
      vexil,
      store,
      delivery,
      url,
      async close() {
        await app.close();
        delivery.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
