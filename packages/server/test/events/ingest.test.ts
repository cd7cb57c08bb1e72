import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createEventPipeline,
  type EventPipeline,
  type EventPipelineOptions,
} from '../../src/events/event-pipeline.js';
import { createFileExporter } from '../../src/events/ndjson-exporters.js';
import { createServer } from '../../src/http/create-server.js';
import { tempDir } from '../helpers/temp-dir.js';
import { newTestVexil, storeKinds, type TestVexil } from '../helpers/vexil.js';

const kinds = await storeKinds();
const T = '2026-11-25T10:00:00.000Z';

interface Harness extends TestVexil {
  app: FastifyInstance;
  /** Closes the server, then the pipeline given to it (as startServer does). */
  close(): Promise<void>;
  admin: string;
  server: string;
  client: string;
  post(body: unknown, key?: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
}

const open: Harness[] = [];
const dirs: { remove(): void }[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) {
    await h.close();
    await h.dispose();
  }
  for (const d of dirs.splice(0)) d.remove();
});

async function harness(
  kind: 'sqlite' | 'postgres',
  pipeline?: Omit<EventPipelineOptions, 'store'>,
  given?: { t: TestVexil; pipeline: EventPipeline },
): Promise<Harness> {
  const t = given?.t ?? (await newTestVexil(kind));
  const events =
    given?.pipeline ??
    (pipeline === undefined ? undefined : createEventPipeline({ store: t.store, ...pipeline }));
  const app = await createServer({ vexil: t.vexil, ...(events === undefined ? {} : { events }) });
  const admin = (await t.vexil.keys.create({ kind: 'admin', name: 'admin' })).secret;
  const scoped = (k: 'server' | 'client') =>
    t.vexil.keys.create({ kind: k, project: 'shop', environment: 'production' }).then((c) => c.secret);
  let closed = false;
  const h: Harness = {
    ...t,
    app,
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await events?.close();
    },
    admin,
    server: await scoped('server'),
    client: await scoped('client'),
    post: (body, key = h.server, headers = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
        payload: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    get: (url) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${admin}` } }),
  };
  open.push(h);
  return h;
}

const exposure = (contextKey: string, variant: string, extra: object = {}) => ({
  kind: 'exposure',
  time: T,
  flag: 'checkout',
  variant,
  contextKey,
  reason: 'SPLIT',
  ...extra,
});
const track = (contextKey: string, name: string, value?: number) => ({
  kind: 'track',
  time: '2026-11-25T10:05:00.000Z',
  name,
  contextKey,
  ...(value === undefined ? {} : { value }),
});

describe.each(kinds)('POST /api/v1/events (%s)', (kind) => {
  it('stores a batch from a server or client key once, however often it is retried', async () => {
    const h = await harness(kind);
    const body = {
      batchId: randomUUID(),
      sdk: 'vexil-js/0.1.0',
      events: [exposure('u1', 'b'), track('u1', 'buy', 5)],
    };
    const first = await h.post(body);
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ accepted: 2, duplicate: false });
    const retries = await Promise.all([h.post(body), h.post(body), h.post(body, h.client)]);
    expect(retries.map((r) => [r.statusCode, r.json().duplicate])).toEqual([
      [202, true],
      [202, true],
      [202, true],
    ]);
    const fromClient = await h.post({ batchId: randomUUID(), events: [track('u2', 'buy', 1)] }, h.client);
    expect(fromClient.json()).toEqual({ accepted: 1, duplicate: false });

    const exposures = await h.get('/api/v1/projects/shop/events/exposures?environment=production');
    expect(exposures.json().items).toEqual([
      {
        environment: 'production',
        flag: 'checkout',
        variant: 'b',
        day: '2026-11-25',
        exposures: 1,
        subjects: 1,
      },
    ]);
    const tracked = await h.get('/api/v1/projects/shop/events/tracked?name=buy');
    expect(tracked.json().items).toEqual([
      { environment: 'production', name: 'buy', day: '2026-11-25', count: 2, sum: 6, subjects: 2 },
    ]);
    const metrics = (await h.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toContain('vexil_events_stored_total{kind="exposure"} 1');
    expect(metrics).toContain('vexil_events_stored_total{kind="track"} 2');
    expect(metrics).toContain('vexil_event_batches_total{outcome="duplicate"} 3');
  });

  it('answers 400 naming every bad field', async () => {
    const h = await harness(kind);
    const response = await h.post({
      batchId: 'not a valid id!',
      events: [
        { kind: 'exposure', time: 'yesterday', flag: 'checkout', contextKey: 'u1' },
        { kind: 'track', time: T, name: '', value: 'much' },
        { kind: 'click', time: T },
        { kind: 'track', time: T, name: 'nul\u0000name' },
        { kind: 'track', time: '0000-01-01T00:00:00Z', name: 'too-old' },
      ],
    });
    expect(response.statusCode).toBe(400);
    const paths = response.json().error.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'batchId',
        'events[0].time',
        'events[0].variant',
        'events[1].name',
        'events[1].value',
        'events[2].kind',
        'events[3].name',
        'events[4].time',
      ]),
    );
    expect((await h.post({ batchId: 'b', events: [] })).json().error.issues[0].path).toBe('events');
    expect((await h.post('{"batchId":')).statusCode).toBe(400);
    expect((await h.get('/api/v1/projects/shop/events/exposures')).json().items).toEqual([]);
  });

  it('refuses more than 1,000 events or more than 1 MiB with 413', async () => {
    const h = await harness(kind);
    const many = {
      batchId: randomUUID(),
      events: Array.from({ length: 1001 }, (_, i) => track(`u${i}`, 'x')),
    };
    const tooMany = await h.post(many);
    expect(tooMany.statusCode).toBe(413);
    expect(tooMany.json().error).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', issues: [{ path: 'events' }] });
    const big = {
      batchId: randomUUID(),
      events: [track('u1', 'x'.repeat(200))],
      pad: 'x'.repeat(1024 * 1024),
    };
    expect((await h.post(big)).statusCode).toBe(413);
    const exactly = {
      batchId: randomUUID(),
      events: Array.from({ length: 1000 }, (_, i) => track(`u${i}`, 'x')),
    };
    expect((await h.post(exactly)).json()).toEqual({ accepted: 1000, duplicate: false });
  });

  it('needs a server or client key', async () => {
    const h = await harness(kind);
    const body = { batchId: randomUUID(), events: [track('u1', 'x')] };
    expect((await h.post(body, 'vx_server_unknown')).statusCode).toBe(401);
    expect((await h.post(body, h.admin)).statusCode).toBe(403);
  });

  it('answers 429 with Retry-After while the write queue is full, and takes the batch once it drains', async () => {
    // The real store behind a gate: commits wait until the test opens it (a slow disk).
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const t = await newTestVexil(kind);
    const pipeline = createEventPipeline({
      store: { appendEventBatches: (batches) => gate.then(() => t.store.appendEventBatches(batches)) },
      maxQueuedEvents: 3,
    });
    const h = await harness(kind, undefined, { t, pipeline });
    const first = h.post({ batchId: 'a', events: [track('u1', 'x')] });
    await until(() => pipeline.queuedEvents === 1);
    const second = h.post({ batchId: 'b', events: [track('u2', 'x'), track('u3', 'x')] });
    await until(() => pipeline.queuedEvents === 3);
    const third = { batchId: 'c', events: [track('u4', 'x')] };
    const refused = await h.post(third);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^[1-9][0-9]?$/);
    expect(refused.json().error.code).toBe('QUEUE_FULL');
    open();
    expect((await first).statusCode).toBe(202);
    expect((await second).statusCode).toBe(202);
    expect((await h.post(third)).json()).toEqual({ accepted: 1, duplicate: false });
    const tracked = await h.get('/api/v1/projects/shop/events/tracked');
    expect(tracked.json().items[0]).toMatchObject({ count: 4, subjects: 4 });
  });

  it('also writes stored events to an NDJSON file', async () => {
    const dir = tempDir('vexil-events-');
    dirs.push(dir);
    const path = join(dir.path, 'out', 'events.ndjson');
    const h = await harness(kind, { exporters: [createFileExporter({ path })] });
    const body = {
      batchId: 'b-file',
      sdk: 'test',
      events: [exposure('u1', 'b', { experiment: 'e1' }), track('u1', 'buy', 2)],
    };
    await h.post(body);
    await h.post(body);
    await h.close();
    const lines = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        project: 'shop',
        environment: 'production',
        batchId: 'b-file',
        sdk: 'test',
        receivedAt: expect.any(String),
        ...exposure('u1', 'b', { experiment: 'e1' }),
      },
      {
        project: 'shop',
        environment: 'production',
        batchId: 'b-file',
        sdk: 'test',
        receivedAt: expect.any(String),
        ...track('u1', 'buy', 2),
      },
    ]);
  });
});

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((r) => setTimeout(r, 10));
}
