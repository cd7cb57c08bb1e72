import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type TestServer } from '../helpers/server.js';
import { ROUTE_SAMPLES, seedProject } from '../http/route-samples.js';
import { junkQuery, type WireBody, wireBody, yamlBody } from './arbitraries.js';
import { FuzzReport } from './fuzz-report.js';

const SEED = Number(process.env.VEXIL_FUZZ_SEED ?? Date.now() % 2 ** 31);
/** Cases per admin route that takes a body; the import route gets IMPORT_RUNS more. */
const RUNS_PER_ROUTE = 200;
const IMPORT_RUNS = 2_500;
const QUERY_RUNS = 1_000;

interface Target {
  readonly route: string;
  readonly method: string;
  readonly url: string;
  readonly sample: unknown;
}

describe('fuzzing the admin API and the import path with malformed requests (fastify.inject)', () => {
  let s: TestServer;
  let targets: Target[];
  let importTarget: Target;
  const report = new FuzzReport();
  let started = 0;

  beforeAll(async () => {
    s = await newTestServer();
    const params = await seedProject(s.vexil, 'fz');
    const fill = (url: string, own: Record<string, string> = {}) =>
      url.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(own[name] ?? params[name] ?? name));
    targets = s.app.routeTable
      .filter((r) => r.access === 'admin' && ['POST', 'PUT', 'PATCH'].includes(r.method))
      .map((r) => {
        const route = `${r.method} ${r.url}`;
        const sample = ROUTE_SAMPLES[route];
        return { route, method: r.method, url: fill(r.url, sample?.params), sample: sample?.body ?? {} };
      });
    const exported = await s.vexil.io.exportProject('fz');
    importTarget = targets.find((t) => t.route === 'POST /api/v1/projects/:project/import')!;
    importTarget = { ...importTarget, sample: exported };
    started = performance.now();
    console.log(`fuzz seed ${SEED} (VEXIL_FUZZ_SEED=${SEED} repeats this run)`);
  });
  afterAll(async () => {
    console.log(report.table(`admin API fuzz (inject, seed ${SEED})`, performance.now() - started));
    await s?.dispose();
  });

  const send = async (t: Target, body: WireBody, query = '') => {
    const headers: Record<string, string> = { authorization: `Bearer ${s.admin}` };
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    const response = await s.app.inject({
      method: t.method as 'POST',
      url: query === '' ? t.url : `${t.url}?${query}`,
      headers,
      payload: body.payload,
    });
    report.record(t.route, body.kind, body.payload, response.statusCode, response.body);
  };

  it('answers every malformed body on every admin write route with a 4xx naming the problem, never a 5xx', async () => {
    expect(targets.length).toBeGreaterThan(30);
    for (const [i, t] of targets.entries()) {
      await fc.assert(
        fc.asyncProperty(wireBody(t.sample), async (body) => {
          await send(t, body);
        }),
        { numRuns: RUNS_PER_ROUTE, seed: SEED + i, endOnFailure: true },
      );
    }
    report.assertClean();
  }, 900_000);

  it('answers malformed flag sets, YAML and query strings on the import route with a 4xx, never a 5xx', async () => {
    const arb = fc.record({
      body: fc.oneof(
        { weight: 4, arbitrary: wireBody(importTarget.sample) },
        { weight: 1, arbitrary: yamlBody },
      ),
      query: fc.oneof(
        fc.constantFrom('dryRun=true', 'mode=replace&dryRun=true', 'environment=production', ''),
        junkQuery,
      ),
    });
    await fc.assert(
      fc.asyncProperty(arb, async ({ body, query }) => {
        await send(importTarget, body, query);
      }),
      { numRuns: IMPORT_RUNS, seed: SEED, endOnFailure: true },
    );
    report.assertClean();
  }, 900_000);

  it('answers junk query strings on the admin read routes with a 4xx or an answer, never a 5xx', async () => {
    const params = {
      project: 'fz',
      environment: 'production',
      flag: 'f',
      segment: 'beta',
      rule: 'r1',
      version: '1',
      id: 'none',
    };
    const reads = s.app.routeTable
      .filter((r) => r.access === 'admin' && r.method === 'GET')
      .map((r) => ({
        route: `GET ${r.url}`,
        method: 'GET',
        url: r.url.replace(/:(\w+)/g, (_, n: string) => params[n as keyof typeof params] ?? n),
        sample: undefined,
      }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...reads), junkQuery, async (t, query) => {
        const response = await s.app.inject({
          method: 'GET',
          url: `${t.url}?${query}`,
          headers: { authorization: `Bearer ${s.admin}` },
        });
        report.record(t.route, 'query', query, response.statusCode, response.body);
      }),
      { numRuns: QUERY_RUNS, seed: SEED, endOnFailure: true },
    );
    report.assertClean();
  }, 900_000);

  it('still answers, unpolluted, after the run: health, a read and a write', async () => {
    expect(report.total).toBeGreaterThanOrEqual(10_000);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await s.call('GET', '/healthz')).statusCode).toBe(200);
    expect((await s.call('GET', '/api/v1/projects/fz/flags')).statusCode).toBe(200);
    const created = await s.call('POST', '/api/v1/projects/fz/flags', {
      body: { key: 'after-fuzz', type: 'boolean' },
    });
    expect(created.statusCode).toBe(201);
  });
});
