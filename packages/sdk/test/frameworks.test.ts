import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { vexilMiddleware } from '../src/express.js';
import { vexilFastify } from '../src/fastify.js';
import { createClient, type ScopedEvaluator, silentLogger, withFlag } from '../src/index.js';
import { createTestClient } from '../src/testing.js';
import { sampleFlags } from './support/flags.js';

const client = createClient({ source: 'offline', bootstrap: sampleFlags(), logger: silentLogger });

describe('fastify plugin', () => {
  it('puts a per-request evaluator with the request context on every route', async () => {
    const app = Fastify();
    await app.register(vexilFastify, {
      client,
      context: (req: { headers: Record<string, string | string[] | undefined> }) => ({
        targetingKey: String(req.headers['x-user']),
        country: String(req.headers['x-country']),
      }),
    });
    // A route registered in a child scope still sees the decoration (the plugin is not encapsulated).
    await app.register(async (child) => {
      child.get('/checkout', async (req) => {
        const flags = (req as unknown as { flags: ScopedEvaluator }).flags;
        return {
          checkout: flags.getBoolean('new-checkout', false),
          color: flags.getString('button-color', 'red'),
        };
      });
    });
    const beta = await app.inject({
      url: '/checkout',
      headers: { 'x-user': 'user-beta', 'x-country': 'NL' },
    });
    expect(beta.json()).toEqual({ checkout: true, color: 'blue' });
    const other = await app.inject({ url: '/checkout', headers: { 'x-user': 'user-2', 'x-country': 'DE' } });
    expect(other.json()).toEqual({ checkout: false, color: 'green' });
    await app.close();
  });
});

describe('Express middleware', () => {
  it('puts a per-request evaluator on req.flags', async () => {
    const app = express();
    app.use(
      vexilMiddleware({
        client,
        context: (req: express.Request) => ({ targetingKey: req.get('x-user') ?? undefined }),
      }),
    );
    app.get('/', (req, res) => {
      const flags = (req as unknown as { flags: ScopedEvaluator }).flags;
      res.json({ checkout: flags.getBoolean('new-checkout', false), items: flags.getNumber('max-items', 0) });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const beta = await fetch(url, { headers: { 'x-user': 'user-beta' } }).then((r) => r.json());
      expect(beta).toEqual({ checkout: true, items: 50 });
      const anonymous = await fetch(url).then((r) => r.json());
      expect(anonymous).toEqual({ checkout: false, items: 50 });
    } finally {
      server.close();
    }
  });
});

describe('withFlag', () => {
  it('runs the function while the flag is on and the fallback while it is off', () => {
    const flags = createTestClient({ 'new-pricing': true });
    const price = withFlag(
      flags,
      'new-pricing',
      (amount: number) => amount * 0.9,
      (amount: number) => amount,
    );
    expect(price(100)).toBe(90);
    flags.set('new-pricing', false);
    expect(price(100)).toBe(100);
  });

  it('evaluates for a context taken from the arguments, and returns undefined without a fallback', () => {
    const greet = withFlag(client, 'new-checkout', (user: { id: string }) => `hi ${user.id}`, undefined, {
      context: (user) => ({ targetingKey: user.id }),
    });
    expect(greet({ id: 'user-beta' })).toBe('hi user-beta');
    expect(greet({ id: 'user-1' })).toBeUndefined();
  });
});

describe('test client', () => {
  it('serves flags a test sets directly, through the real evaluator', () => {
    const flags = createTestClient({ 'new-checkout': true, color: 'green', limit: 3, config: { a: 1 } });
    expect(flags.getBoolean('new-checkout', false)).toBe(true);
    expect(flags.getString('color', 'x')).toBe('green');
    expect(flags.getNumber('limit', 0)).toBe(3);
    expect(flags.getJson('config', {})).toEqual({ a: 1 });
    flags.set('color', 'blue');
    expect(flags.getString('color', 'x')).toBe('blue');
    flags.remove('color');
    expect(flags.getDetails('color', 'x').errorCode).toBe('FLAG_NOT_FOUND');
  });

  it('accepts full definitions, refuses invalid ones, and records tracked events', () => {
    const flags = createTestClient();
    flags.setFlag('beta', {
      type: 'boolean',
      enabled: true,
      rules: [{ conditions: [{ attribute: 'plan', op: 'eq', value: 'pro' }], serve: { variant: 'on' } }],
      defaultServe: { variant: 'off' },
    });
    expect(flags.getBoolean('beta', false, { plan: 'pro' })).toBe(true);
    expect(flags.getBoolean('beta', true, { plan: 'free' })).toBe(false);
    expect(() => flags.setFlag('bad', { type: 'boolean', defaultServe: { variant: 'nope' } })).toThrow(/bad/);
    expect(flags.getBoolean('beta', false, { plan: 'pro' })).toBe(true);
    flags.track('purchase', { targetingKey: 'u1' }, 5);
    expect(flags.tracked).toEqual([{ name: 'purchase', context: { targetingKey: 'u1' }, value: 5 }]);
  });

  it('emits update events when a test changes a flag', () => {
    const flags = createTestClient({ a: true });
    const updates: string[][] = [];
    flags.on('update', ({ keys }) => updates.push(keys));
    flags.set('a', false);
    expect(updates).toEqual([['a']]);
  });
});
