import { afterEach, describe, expect, it } from 'vitest';
import { createDelivery } from '../../src/delivery/delivery.js';
import { createServer } from '../../src/http/create-server.js';
import { newTestVexil, type TestVexil } from '../helpers/vexil.js';

describe('OFREP single-flag evaluation', () => {
  let t: TestVexil | undefined;
  afterEach(async () => {
    await t?.dispose();
    t = undefined;
  });

  it('loads the snapshot on first use when the delivery has not loaded it yet, and answers as usual', async () => {
    t = await newTestVexil();
    await t.vexil.flags.create('shop', 'banner', { type: 'boolean', enabled: true });
    const { secret } = await t.vexil.keys.create({
      kind: 'server',
      project: 'shop',
      environment: 'production',
    });
    const delivery = createDelivery({ vexil: t.vexil }); // not started: no snapshot in memory
    const app = await createServer({ vexil: t.vexil, delivery });
    try {
      expect(delivery.snapshots.get('shop', 'production', 'server')).toBeUndefined();
      const evaluate = (flag: string) =>
        app.inject({
          method: 'POST',
          url: `/ofrep/v1/evaluate/flags/${flag}`,
          headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
          payload: JSON.stringify({ context: { targetingKey: 'u1' } }),
        });
      const first = await evaluate('banner');
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(first.headers['access-control-allow-origin']).toBe('*');
      expect(first.json()).toEqual({ key: 'banner', value: true, variant: 'on', reason: 'STATIC' });
      expect(delivery.snapshots.get('shop', 'production', 'server')).toBeDefined();
      const again = await evaluate('banner');
      expect(again.body).toBe(first.body);
      const missing = await evaluate('nope');
      expect(missing.statusCode).toBe(404);
      expect(missing.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(missing.json()).toEqual({
        key: 'nope',
        errorCode: 'FLAG_NOT_FOUND',
        errorDetails: 'flag "nope" was not found',
      });
    } finally {
      await app.close();
      await delivery.close();
    }
  });
});
