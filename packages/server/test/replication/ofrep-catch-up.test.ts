import { afterEach, describe, expect, it } from 'vitest';
import { createDelivery } from '../../src/delivery/delivery.js';
import { createServer } from '../../src/http/create-server.js';
import { createVexil } from '../../src/services/index.js';
import { createPostgresStore } from '../../src/stores/index.js';
import { dropSchema, postgresAvailable, TEST_DATABASE_URL, uniqueSchema } from '../helpers/postgres.js';

// An OFREP provider that got a change notification from one replica may send its refetch to
// another that has not heard of the change yet: `flagConfigEtag` names the version it wants.

const pg = await postgresAvailable();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function replica(schema: string) {
  const store = createPostgresStore({ connectionString: TEST_DATABASE_URL, schema, poolSize: 3 });
  const vexil = createVexil({ store });
  const delivery = createDelivery({ vexil });
  await delivery.start();
  const app = await createServer({ vexil, delivery });
  cleanups.push(async () => {
    await app.close();
    delivery.close();
    await store.close();
  });
  return { vexil, delivery, app };
}

describe.skipIf(!pg)('an OFREP refetch on a replica that is behind', () => {
  it('waits for the version flagConfigEtag names, and answers with it', async () => {
    const schema = uniqueSchema('vexil_ofrep');
    const setup = createPostgresStore({ connectionString: TEST_DATABASE_URL, schema });
    await setup.migrate();
    await createVexil({ store: setup }).projects.create('shop');
    await setup.close();
    cleanups.push(() => dropSchema(schema));

    // Two replicas on one database, with no change bus between them: b hears of nothing.
    const a = await replica(schema);
    const b = await replica(schema);
    const key = (await a.vexil.keys.create({ kind: 'server', project: 'shop', environment: 'production' }))
      .secret;
    await a.vexil.flags.create('shop', 'banner', { type: 'boolean', enabled: true });
    const wanted = (await a.vexil.environments.get('shop', 'production')).version;
    const bulk = (query: string) =>
      b.app.inject({
        method: 'POST',
        url: `/ofrep/v1/evaluate/flags${query}`,
        headers: { authorization: `Bearer ${key}` },
        payload: { context: { targetingKey: 'u1' } },
      });

    const stale = (await bulk('')).json() as { flags: { key: string }[]; metadata: { version: number } };
    expect(stale.metadata.version).toBeLessThan(wanted);
    expect(stale.flags).toEqual([]);

    const fresh = (await bulk(`?flagConfigEtag=${encodeURIComponent(`"server-${wanted}"`)}`)).json() as {
      flags: { key: string; value: unknown }[];
      metadata: { version: number };
    };
    expect(fresh.metadata.version).toBe(wanted);
    expect(fresh.flags).toMatchObject([{ key: 'banner', value: true }]);
    expect(b.delivery.snapshots.get('shop', 'production', 'server')!.version).toBe(wanted);
  });
});
