import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installErrorHandling } from '../../src/http/errors.js';
import { dashboardRoutes } from '../../src/http/routes/dashboard.js';
import { newTestServer } from '../helpers/server.js';

async function appFor(dir: string): Promise<FastifyInstance> {
  const app = Fastify();
  installErrorHandling(app);
  app.get('/api/v1/ping', async () => ({ pong: true }));
  dashboardRoutes(app, { dir });
  await app.ready();
  return app;
}

describe('the dashboard route', () => {
  const root = mkdtempSync(join(tmpdir(), 'vexil-dashboard-route-'));
  const built = join(root, 'dist');
  const missing = join(root, 'missing');
  let app: FastifyInstance;
  let bare: FastifyInstance;

  beforeAll(async () => {
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), '<!doctype html><title>Vexil</title><div id="root"></div>');
    writeFileSync(join(built, 'assets', 'index-abc123.js'), 'console.log("vexil")');
    writeFileSync(join(built, '.build-hash'), 'secret-ish');
    writeFileSync(join(root, 'outside.txt'), 'not for the web');
    app = await appFor(built);
    bare = await appFor(missing);
  });
  afterAll(async () => {
    await app.close();
    await bare.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html at / and at every client-side route, revalidated on each visit', async () => {
    for (const url of [
      '/',
      '/projects/shop/flags/checkout',
      '/projects/shop/flags/checkout.v2',
      '/keys?x=1',
    ]) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves built assets with a year-long immutable cache', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body).toBe('console.log("vexil")');
  });

  it('answers a missing asset, and every unknown API path, with the API’s JSON 404', async () => {
    for (const url of ['/assets/gone.js', '/api/v1/nope', '/api', '/ofrep/v1/unknown']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    }
    expect((await app.inject({ url: '/api/v1/ping' })).json()).toEqual({ pong: true });
  });

  it('never serves dotfiles or anything outside the build', async () => {
    for (const url of [
      '/.build-hash',
      '/../outside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
    ]) {
      const res = await app.inject({ url });
      expect(res.body, url).not.toContain('secret-ish');
      expect(res.body, url).not.toContain('not for the web');
    }
  });

  it('says how to build the dashboard when it is not built', async () => {
    const res = await bare.inject({ url: '/' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('npm run build -w @vexil/dashboard');
    expect((await bare.inject({ url: '/api/v1/nope' })).statusCode).toBe(404);
  });

  it('is part of the server without a key, and hidden from the OpenAPI document and the route table', async () => {
    const s = await newTestServer();
    try {
      const res = await s.call('GET', '/', { key: null });
      expect([200, 503]).toContain(res.statusCode);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      const doc = (await s.call('GET', '/openapi.json', { key: null })).json() as {
        paths: Record<string, unknown>;
      };
      expect(Object.keys(doc.paths).filter((p) => p === '/*' || p === '/{*}')).toEqual([]);
      expect(s.app.routeTable.some((r) => r.url === '/*')).toBe(false);
      expect((await s.call('GET', '/api/v1/nope')).json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    } finally {
      await s.dispose();
    }
  });
});
