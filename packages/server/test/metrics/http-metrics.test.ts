import { afterEach, describe, expect, it } from 'vitest';
import { createDelivery } from '../../src/delivery/delivery.js';
import { createServer } from '../../src/http/create-server.js';
import { newTestVexil, type TestVexil } from '../helpers/vexil.js';

describe('HTTP request metrics', () => {
  let t: TestVexil | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('shows every answered request when the counter is read, by route, method and status', async () => {
    t = await newTestVexil();
    const delivery = createDelivery({ vexil: t.vexil });
    await delivery.start();
    const one = await createServer({ vexil: t.vexil, delivery });
    const two = one;
    try {
      for (let i = 0; i < 3; i++) await one.inject({ method: 'GET', url: '/healthz' });
      await two.inject({ method: 'GET', url: '/healthz' });
      await two.inject({ method: 'GET', url: '/api/v1/projects' }); // no key: 401
      await one.inject({ method: 'DELETE', url: '/no/such/route' });

      const counts = async () =>
        Object.fromEntries(
          (await delivery.metrics.httpRequests.get()).values.map((v) => [
            `${v.labels.method} ${v.labels.route} ${v.labels.status}`,
            v.value,
          ]),
        );
      expect(await counts()).toEqual({
        'GET /healthz 200': 4,
        'GET /api/v1/projects 401': 1,
        'DELETE unmatched 404': 1,
      });
      // Read again: nothing is counted twice.
      await one.inject({ method: 'GET', url: '/healthz' });
      expect((await counts())['GET /healthz 200']).toBe(5);
      const durations = await delivery.metrics.httpDuration.get();
      const healthCount = durations.values.find(
        (v) => v.metricName?.endsWith('_count') && v.labels.route === '/healthz',
      );
      expect(healthCount?.value).toBe(5);
    } finally {
      await one.close();
      await delivery.close();
    }
  });
});
