import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type TestServer } from '../helpers/server.js';
import { ROUTE_SAMPLES, seedProject } from '../http/route-samples.js';
import { wireBody, yamlBody } from './arbitraries.js';
import { FuzzReport } from './fuzz-report.js';

const SEED = Number(process.env.VEXIL_FUZZ_SEED ?? Date.now() % 2 ** 31);
const HTTP_RUNS = 600;

/** Sends raw bytes on a fresh connection and reads the status line of the answer (0: none). */
function rawRequest(port: number, bytes: string | Buffer): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      socket.destroy();
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0));
    };
    socket.setTimeout(5_000, done);
    socket.on('data', (chunk) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(bytes);
  });
}

describe('fuzzing the admin API over real HTTP', () => {
  let s: TestServer;
  let base: string;
  let port: number;
  const report = new FuzzReport();
  let started = 0;

  beforeAll(async () => {
    s = await newTestServer();
    await seedProject(s.vexil, 'fz');
    await s.app.listen({ port: 0, host: '127.0.0.1' });
    port = (s.app.server.address() as { port: number }).port;
    base = `http://127.0.0.1:${port}`;
    started = performance.now();
    console.log(`fuzz seed ${SEED} (VEXIL_FUZZ_SEED=${SEED} repeats this run)`);
  });
  afterAll(async () => {
    console.log(report.table(`admin API fuzz (HTTP, seed ${SEED})`, performance.now() - started));
    await s?.dispose();
  });

  it('answers malformed bodies sent over a socket with a 4xx naming the problem, never a 5xx', async () => {
    const routes = [
      ['POST', '/api/v1/projects/fz/flags', 'POST /api/v1/projects/:project/flags'],
      ['PUT', '/api/v1/projects/fz/flags/spare', 'PUT /api/v1/projects/:project/flags/:flag'],
      [
        'PUT',
        '/api/v1/projects/fz/flags/f/environments/production/serve',
        'PUT /api/v1/projects/:project/flags/:flag/environments/:environment/serve',
      ],
      ['POST', '/api/v1/projects/fz/segments', 'POST /api/v1/projects/:project/segments'],
      ['POST', '/api/v1/keys', 'POST /api/v1/keys'],
    ] as const;
    const exported = await s.vexil.io.exportProject('fz');
    const requests = fc.oneof(
      ...routes.map(([method, url, route]) =>
        wireBody(ROUTE_SAMPLES[route]?.body ?? {}).map((body) => ({ method, url, route, body })),
      ),
      fc.oneof(wireBody(exported), yamlBody).map((body) => ({
        method: 'POST',
        url: '/api/v1/projects/fz/import?dryRun=true',
        route: 'POST /api/v1/projects/:project/import',
        body,
      })),
    );
    await fc.assert(
      fc.asyncProperty(requests, async ({ method, url, route, body }) => {
        const headers: Record<string, string> = { authorization: `Bearer ${s.admin}` };
        if (body.contentType !== undefined) headers['content-type'] = body.contentType;
        if (process.env.FUZZ_TRACE)
          (await import('node:fs')).writeFileSync(
            process.env.FUZZ_TRACE,
            JSON.stringify({ method, url, body }),
          );
        const response = await fetch(base + url, { method, headers, body: body.payload });
        report.record(`HTTP ${route}`, body.kind, body.payload, response.status, await response.text());
      }),
      { numRuns: HTTP_RUNS, seed: SEED, endOnFailure: true },
    );
    report.assertClean();
  }, 600_000);

  it('answers broken HTTP (lengths, chunking, headers) and oversized imports without a 5xx, and keeps answering', async () => {
    const auth = `Authorization: Bearer ${s.admin}\r\n`;
    const path = 'POST /api/v1/projects/fz/flags HTTP/1.1\r\nHost: x\r\n';
    const cases: [string, string | Buffer][] = [
      [
        'content-length too short',
        `${path}${auth}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{"key":"a","type":"boolean"}`,
      ],
      [
        'content-length not a number',
        `${path}${auth}Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}`,
      ],
      [
        'two content-lengths',
        `${path}${auth}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}`,
      ],
      [
        'broken chunking',
        `${path}${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
      ],
      [
        'chunked and length',
        `${path}${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n2\r\n{}\r\n0\r\n\r\n`,
      ],
      ['header of 64 KB', `${path}${auth}X-Junk: ${'j'.repeat(65_536)}\r\n\r\n`],
      [
        'binary header bytes',
        Buffer.concat([
          Buffer.from(`${path}${auth}X-Bin: `),
          Buffer.from([0, 1, 2, 255, 254, 10]),
          Buffer.from('\r\n\r\n'),
        ]),
      ],
      ['not HTTP', '\u0016\u0003\u0001\u0002\u0000\u0001\u0000\u0001\u00fc\u0003\u0003'],
      ['bad method', `BREW /api/v1/projects HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
      ['bad path encoding', `GET /api/v1/projects/%E0%A4%A/flags HTTP/1.1\r\nHost: x\r\n${auth}\r\n`],
    ];
    for (const [kind, bytes] of cases) report.recordStatus('raw HTTP', kind, await rawRequest(port, bytes));

    // over the import limit (16 MiB): refused with 413, the server stays up
    const big = JSON.stringify({
      flags: { x: { type: 'string', description: 'd'.repeat(17 * 1024 * 1024) } },
    });
    const response = await fetch(`${base}/api/v1/projects/fz/import?dryRun=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' },
      body: big,
    });
    report.record(
      'HTTP POST /api/v1/projects/:project/import',
      'over 16 MiB',
      '(17 MiB)',
      response.status,
      await response.text(),
    );
    expect(response.status).toBe(413);
    report.assertClean();

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const created = await fetch(`${base}/api/v1/projects/fz/flags`, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'after-http-fuzz', type: 'boolean' }),
    });
    expect(created.status).toBe(201);
  }, 120_000);
});
