import type { FastifyInstance } from 'fastify';
import { createDelivery, type Delivery, type DeliveryOptions } from '../../src/delivery/delivery.js';
import { createServer } from '../../src/http/create-server.js';
import { newTestVexil, type StoreKind, type TestVexil } from '../helpers/vexil.js';

/** A real server listening on an ephemeral port, with keys for project `shop`'s production. */
export interface ListeningServer extends TestVexil {
  readonly app: FastifyInstance;
  readonly delivery: Delivery;
  readonly url: string;
  readonly admin: string;
  readonly serverKey: string;
  readonly clientKey: string;
  /** Calls the admin API with the admin key; throws on a non-2xx answer. */
  adminCall<T = unknown>(method: string, route: string, body?: unknown): Promise<T>;
}

export async function listeningServer(
  kind: StoreKind,
  options: Partial<Omit<DeliveryOptions, 'vexil'>> & { seed?: (t: TestVexil) => Promise<void> } = {},
): Promise<ListeningServer> {
  const t = await newTestVexil(kind);
  const { seed, ...deliveryOptions } = options;
  await seed?.(t);
  const delivery = createDelivery({ vexil: t.vexil, ...deliveryOptions });
  const app = await createServer({ vexil: t.vexil, delivery });
  await delivery.start();
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
  const admin = (await t.vexil.keys.create({ kind: 'admin', name: 'test admin' })).secret;
  const scoped = { project: 'shop', environment: 'production' };
  const serverKey = (await t.vexil.keys.create({ kind: 'server', ...scoped })).secret;
  const clientKey = (await t.vexil.keys.create({ kind: 'client', ...scoped })).secret;
  return {
    ...t,
    app,
    delivery,
    url,
    admin,
    serverKey,
    clientKey,
    async adminCall<T>(method: string, route: string, body?: unknown): Promise<T> {
      const headers: Record<string, string> = { authorization: `Bearer ${admin}` };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetch(`${url}${route}`, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${text}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    async dispose() {
      await app.close();
      delivery.close();
      await t.dispose();
    },
  };
}

/** `Authorization` for a key. */
export function bearer(key: string): Record<string, string> {
  return { authorization: `Bearer ${key}` };
}
