import { Counter } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createDelivery, type Delivery } from '../../src/delivery/delivery.js';
import type { ChangeBus } from '../../src/replication/change-bus.js';
import { createPostgresChangeBus } from '../../src/replication/postgres-change-bus.js';
import { createRedisChangeBus } from '../../src/replication/redis-change-bus.js';
import { createReplicator, type Replicator } from '../../src/replication/replicator.js';
import { createVexil, type Vexil } from '../../src/services/index.js';
import { createPostgresStore, type Store } from '../../src/stores/index.js';
import {
  dropSchema,
  postgresAvailable,
  TEST_DATABASE_URL,
  uniqueSchema,
  withPostgres,
} from '../helpers/postgres.js';
import { redisAvailable, TEST_REDIS_URL, uniquePrefix } from './redis.js';

// Two servers in one process on one PostgreSQL schema, each with its own store, services and
// snapshots: a change committed on A reaches B's snapshots through the bus, or by catching up.

const pg = await postgresAvailable();
const redis = pg && (await redisAvailable());

interface Server {
  notifications: Counter<'source'>;
  store: Store;
  vexil: Vexil;
  delivery: Delivery;
  replicator?: Replicator;
  bus?: ChangeBus;
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(schema: string, bus?: (name: string) => ChangeBus, name = 'b'): Promise<Server> {
  const store = createPostgresStore({
    connectionString: `${TEST_DATABASE_URL}?application_name=${name}`,
    schema,
    poolSize: 3,
  });
  const vexil = createVexil({ store });
  const delivery = createDelivery({ vexil });
  await delivery.start();
  const notifications = new Counter({ name: 'n', help: 'n', labelNames: ['source'], registers: [] });
  const s: Server = { store, vexil, delivery, notifications };
  if (bus !== undefined) {
    s.bus = bus(name);
    s.replicator = createReplicator({
      vexil,
      snapshots: delivery.snapshots,
      bus: s.bus,
      catchUpSeconds: 0,
      notifications,
    });
    await s.replicator.start();
  }
  cleanups.push(async () => {
    await s.replicator?.close();
    delivery.close();
    await store.close();
  });
  return s;
}

async function sharedSchema(): Promise<string> {
  const schema = uniqueSchema('vexil_repl');
  const store = createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
  await store.migrate();
  await createVexil({ store }).projects.create('shop');
  await store.close();
  cleanups.push(() => dropSchema(schema));
  return schema;
}

const pgBus = (schema: string) => () =>
  createPostgresChangeBus({ connectionString: TEST_DATABASE_URL, schema, reconnectMs: 50 });

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const version = (s: Server, env = 'production') =>
  s.delivery.snapshots.get('shop', env, 'server')?.version ?? 0;

describe.skipIf(!pg)('replicas on one PostgreSQL', () => {
  it('carries a change committed on one server to another through LISTEN/NOTIFY', async () => {
    const schema = await sharedSchema();
    const a = await server(schema, undefined, 'a');
    const b = await server(schema, pgBus(schema));
    await until(() => b.bus!.connected, 'the listener');
    const swaps: number[] = [];
    b.delivery.snapshots.subscribe((swap) => {
      if (swap.environment === 'production' && swap.scope === 'server') swaps.push(swap.version);
    });
    const flag = await a.vexil.flags.create('shop', 'checkout', { type: 'boolean' });
    const target = (await a.store.getEnvironment('shop', 'production'))!.version;
    expect(flag.key).toBe('checkout');
    expect(await b.delivery.snapshots.waitForVersion('shop', 'production', target, 20_000)).toBe(true);
    expect(b.delivery.snapshots.get('shop', 'production', 'server')!.definition.flags).toHaveProperty(
      'checkout',
    );
    expect(swaps).toEqual([target]);
  });

  it('ignores notices of another schema on the same database', async () => {
    const schema = await sharedSchema();
    const other = await sharedSchema();
    const b = await server(schema, pgBus(schema));
    const elsewhere = await server(other, undefined, 'x');
    await until(() => b.bus!.connected, 'the listener');
    let heard = 0;
    b.delivery.snapshots.subscribe((swap) => {
      if (swap.environment === 'production') heard++;
    });
    await elsewhere.vexil.flags.create('shop', 'other', { type: 'boolean' });
    // A change in b's own schema after it: once b has that one, the other would have come first.
    const a = await server(schema, undefined, 'a');
    await a.vexil.flags.create('shop', 'mine', { type: 'boolean' });
    const target = (await a.store.getEnvironment('shop', 'production'))!.version;
    await b.delivery.snapshots.waitForVersion('shop', 'production', target, 20_000);
    expect(b.delivery.snapshots.get('shop', 'production', 'server')!.definition.flags).not.toHaveProperty(
      'other',
    );
    expect(heard).toBe(2); // server and client scopes of the one change in b's schema
  });

  it('catches up by version after its LISTEN connection is killed', async () => {
    const schema = await sharedSchema();
    const a = await server(schema, undefined, 'a');
    const b = await server(schema, () =>
      createPostgresChangeBus({
        connectionString: `${TEST_DATABASE_URL}?application_name=replica_b_listener`,
        schema,
        reconnectMs: 500,
      }),
    );
    await until(() => b.bus!.connected, 'the listener');
    const killed = await withPostgres(async (c) =>
      c.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'replica_b_listener'`,
      ),
    );
    expect(killed.rowCount).toBe(1);
    await until(() => !b.bus!.connected, 'the listener to notice');
    // Committed while b listens to nothing: its NOTIFY is lost for b.
    await a.vexil.flags.create('shop', 'while-away', { type: 'boolean' });
    const target = (await a.store.getEnvironment('shop', 'production'))!.version;
    await until(() => version(b) >= target, 'b to catch up');
    expect(b.delivery.snapshots.get('shop', 'production', 'server')!.definition.flags).toHaveProperty(
      'while-away',
    );
    await until(() => b.bus!.connected, 'the listener to be back');
  });

  it('catches up periodically without any bus message, and learns of new and deleted environments', async () => {
    const schema = await sharedSchema();
    const a = await server(schema, undefined, 'a');
    const b = await server(schema); // no bus at all
    const replicator = createReplicator({
      vexil: b.vexil,
      snapshots: b.delivery.snapshots,
      bus: {
        name: 'none',
        connected: false,
        start: async () => {},
        publish: async () => {},
        close: async () => {},
      },
      catchUpSeconds: 0,
    });
    await a.vexil.environments.create('shop', 'qa');
    await a.vexil.flags.create('shop', 'f', { type: 'boolean' });
    await a.vexil.environments.delete('shop', 'development');
    await replicator.catchUp();
    const held = [...b.delivery.snapshots.environments()].map((e) => [e.environment, e.version]).sort();
    const inDb = (await a.store.listEnvironments('shop')).map((e) => [e.key, e.version]).sort();
    expect(held).toEqual(inDb);
  });
});

describe.skipIf(!redis)('replicas with the Redis change bus', () => {
  it('carries a change committed on one server to another through Redis', async () => {
    const schema = await sharedSchema();
    const prefix = uniquePrefix();
    const redisBus = () => createRedisChangeBus({ url: TEST_REDIS_URL, prefix });
    const a = await server(schema, redisBus, 'a');
    const b = await server(schema, redisBus, 'b');
    await until(() => a.bus!.connected && b.bus!.connected, 'both subscriptions');
    await a.vexil.flags.create('shop', 'over-redis', { type: 'boolean' });
    const target = (await a.store.getEnvironment('shop', 'production'))!.version;
    expect(await b.delivery.snapshots.waitForVersion('shop', 'production', target, 20_000)).toBe(true);
    expect(b.delivery.snapshots.get('shop', 'production', 'server')!.definition.flags).toHaveProperty(
      'over-redis',
    );
  });

  it('keeps deployments with different prefixes apart', async () => {
    const schema = await sharedSchema();
    const prefix = uniquePrefix();
    const a = await server(schema, () => createRedisChangeBus({ url: TEST_REDIS_URL, prefix }), 'a');
    const sameDeployment = await server(
      schema,
      () => createRedisChangeBus({ url: TEST_REDIS_URL, prefix }),
      'c',
    );
    const b = await server(
      schema,
      () => createRedisChangeBus({ url: TEST_REDIS_URL, prefix: uniquePrefix() }),
      'b',
    );
    await until(
      () => a.bus!.connected && b.bus!.connected && sameDeployment.bus!.connected,
      'the subscriptions',
    );
    let heard = 0;
    b.delivery.snapshots.subscribe(() => heard++);
    await a.vexil.flags.create('shop', 'quiet', { type: 'boolean' });
    const target = (await a.store.getEnvironment('shop', 'production'))!.version;
    await sameDeployment.delivery.snapshots.waitForVersion('shop', 'production', target, 20_000);
    expect((await sameDeployment.notifications.get()).values[0]?.value).toBe(2);
    expect((await b.notifications.get()).values).toEqual([]);
    expect(heard).toBe(0);
    // Catching up finds the change in the database all the same.
    await b.replicator!.catchUp();
    expect(b.delivery.snapshots.get('shop', 'production', 'server')!.definition.flags).toHaveProperty(
      'quiet',
    );
  });
});
