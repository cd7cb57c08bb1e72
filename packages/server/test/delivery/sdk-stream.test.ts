import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeKinds } from '../helpers/vexil.js';
import { bearer, type ListeningServer, listeningServer } from './listening-server.js';
import { SseClient } from './sse-client.js';

const kinds = await storeKinds();

interface Patch {
  version: number;
  previousVersion: number;
  flags: Record<string, { enabled?: boolean } | null>;
  segments: Record<string, unknown>;
}

describe.each(kinds)('GET /api/v1/sdk/stream on %s', (kind) => {
  let s: ListeningServer;
  const open: SseClient[] = [];
  beforeAll(async () => {
    s = await listeningServer(kind, {
      heartbeatMs: 100,
      retryMs: 1500,
      seed: async ({ vexil }) => {
        await vexil.segments.create('shop', 'staff', { included: ['u1'] });
        await vexil.flags.create('shop', 'banner', {
          type: 'boolean',
          clientVisible: true,
          overrides: [{ segment: 'staff', variant: 'on' }],
          enabled: true,
        });
        await vexil.flags.create('shop', 'internal', { type: 'boolean', enabled: true });
      },
    });
  });
  afterAll(async () => {
    for (const c of open) c.close();
    await s?.dispose();
  });

  async function stream(key: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await SseClient.open(`${s.url}/api/v1/sdk/stream`, { ...bearer(key), ...headers });
    open.push(client);
    return client;
  }
  const toggle = (flag: string, on: boolean) =>
    s.adminCall(
      'POST',
      `/api/v1/projects/shop/flags/${flag}/environments/production/${on ? 'enable' : 'disable'}`,
    );
  const version = async () => (await s.vexil.environments.get('shop', 'production')).version;

  it('starts with the retry hint and the whole snapshot, its id the version', async () => {
    const c = await stream(s.serverKey);
    expect(c.status).toBe(200);
    expect(c.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(c.headers.get('cache-control')).toContain('no-cache');
    await c.until((e) => e.length >= 1, 'the snapshot');
    expect(c.retries[0]).toBe(1500);
    const [first] = c.events;
    expect(first!.event).toBe('snapshot');
    const body = JSON.parse(first!.data) as { version: number; flags: Record<string, unknown> };
    expect(first!.id).toBe(String(body.version));
    expect(body.version).toBe(await version());
    expect(Object.keys(body.flags).sort()).toEqual(['banner', 'internal']);
    expect(c.headers.get('x-vexil-version')).toBe(String(body.version));
    c.close();
  });

  it('sends one patch per committed change, chained by previousVersion, enough to apply it', async () => {
    const c = await stream(s.serverKey);
    await c.until((e) => e.some((x) => x.event === 'snapshot'));
    const held = JSON.parse(c.events[0]!.data).version as number;
    await toggle('internal', false);
    await toggle('internal', true);
    const target = await version();
    await c.until((e) => e.some((x) => x.event === 'patch' && x.id === String(target)), 'the second patch');
    const patches = c.data<Patch>('patch');
    expect(patches[0]!.previousVersion).toBe(held);
    for (let i = 1; i < patches.length; i++)
      expect(patches[i]!.previousVersion).toBe(patches[i - 1]!.version);
    expect(patches[0]!.flags.internal).toMatchObject({ enabled: false });
    expect(patches.at(-1)!.flags.internal).toMatchObject({ enabled: true });
    expect(Object.keys(patches[0]!.flags)).toEqual(['internal']);
    c.close();
  });

  it('sends heartbeats with the current version', async () => {
    const c = await stream(s.serverKey);
    await c.until((e) => e.filter((x) => x.event === 'heartbeat').length >= 2, 'two heartbeats');
    const beat = c.data<{ version: number }>('heartbeat')[0]!;
    expect(beat.version).toBe(await version());
    expect(c.events.find((x) => x.event === 'heartbeat')!.id).toBeUndefined();
    c.close();
  });

  it('resumes from Last-Event-ID with only the patches missed, and with a snapshot when it cannot', async () => {
    const from = await version();
    await toggle('internal', false);
    await toggle('internal', true);
    const now = await version();
    await s.delivery.snapshots.waitForVersion('shop', 'production', now, 10_000);
    const resumed = await stream(s.serverKey, { 'last-event-id': String(from) });
    await resumed.until((e) => e.some((x) => x.id === String(now)), 'the patches up to now');
    expect(resumed.events.every((e) => e.event === 'patch' || e.event === 'heartbeat')).toBe(true);
    expect(resumed.data<Patch>('patch')[0]!.previousVersion).toBe(from);
    resumed.close();

    const current = await stream(s.serverKey, { 'last-event-id': String(now) });
    await current.until((e) => e.some((x) => x.event === 'heartbeat'), 'a heartbeat');
    expect(current.events.filter((e) => e.event !== 'heartbeat')).toEqual([]); // up to date: nothing to send
    current.close();

    for (const id of ['1', 'garbage', String(now + 1000)]) {
      const fresh = await stream(s.serverKey, { 'last-event-id': id });
      await fresh.until((e) => e.length > 0);
      expect(fresh.events[0]!.event).toBe('snapshot');
      fresh.close();
    }
  });

  it('gives a client key only client-visible flags, and null when a flag stops being visible', async () => {
    const c = await stream(s.clientKey);
    await c.until((e) => e.some((x) => x.event === 'snapshot'));
    const snapshot = JSON.parse(c.events[0]!.data) as {
      flags: Record<string, unknown>;
      segments: Record<string, unknown>;
    };
    expect(Object.keys(snapshot.flags)).toEqual(['banner']);
    expect(Object.keys(snapshot.segments)).toEqual(['staff']);
    await toggle('internal', false); // not visible to clients: the patch only moves the version
    await s.adminCall('PATCH', '/api/v1/projects/shop/flags/banner', { clientVisible: false });
    const target = await version();
    await c.until((e) => e.some((x) => x.id === String(target)), 'the visibility change');
    const patches = c.data<Patch>('patch');
    expect(patches[0]).toMatchObject({ flags: {}, segments: {} });
    expect(patches.at(-1)).toMatchObject({ flags: { banner: null }, segments: { staff: null } });
    await s.adminCall('PATCH', '/api/v1/projects/shop/flags/banner', { clientVisible: true });
    await toggle('internal', true);
    c.close();
  });

  it('closes the streams of a key when it is revoked, and of a key rotated without grace', async () => {
    const made = await s.vexil.keys.create({ kind: 'server', project: 'shop', environment: 'production' });
    const c = await stream(made.secret);
    await c.until((e) => e.length > 0);
    await s.adminCall('DELETE', `/api/v1/keys/${made.key.id}`);
    await c.closed();
    expect((await stream(made.secret)).status).toBe(401);

    const rotated = await s.vexil.keys.create({ kind: 'client', project: 'shop', environment: 'production' });
    const r = await stream(rotated.secret);
    await r.until((e) => e.length > 0);
    await s.adminCall('POST', `/api/v1/keys/${rotated.key.id}/rotate`, { gracePeriodSeconds: 0 });
    await r.closed();
  });

  it('closes streams of a key revoked by another server at the next heartbeat', async () => {
    const made = await s.vexil.keys.create({ kind: 'server', project: 'shop', environment: 'production' });
    const c = await stream(made.secret);
    await c.until((e) => e.length > 0);
    // Straight in the store, as another server would: no lifecycle event reaches this one.
    await s.store.transaction(async (tx) => {
      const record = (await tx.getApiKey(made.key.id))!;
      await tx.updateApiKey({ ...record, revokedAt: new Date().toISOString() });
    });
    await c.closed();
  });

  it('refuses a missing key (401) and an admin key (403) before streaming', async () => {
    expect((await SseClient.open(`${s.url}/api/v1/sdk/stream`)).status).toBe(401);
    expect((await stream(s.admin)).status).toBe(403);
  });

  it('frames each event as one HTTP/1.1 chunk, and sends plain bytes to an HTTP/1.0 client', async () => {
    for (const protocol of ['HTTP/1.1', 'HTTP/1.0'] as const) {
      const socket = connect(Number(new URL(s.url).port), '127.0.0.1');
      let raw = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        raw = Buffer.concat([raw, chunk]);
      });
      socket.write(
        `GET /api/v1/sdk/stream ${protocol}\r\nHost: x\r\nAuthorization: Bearer ${s.serverKey}\r\n\r\n`,
      );
      const text = () => raw.toString('utf8');
      const waitFor = async (test: () => boolean, what: string) => {
        for (let i = 0; i < 400 && !test(); i++) await new Promise((r) => setTimeout(r, 25));
        expect(test(), what).toBe(true);
      };
      await waitFor(() => text().includes('event: snapshot'), 'the snapshot');
      await toggle('internal', false);
      const target = await version();
      const marker = `id: ${target}\nevent: patch\ndata: `;
      await waitFor(() => text().split(marker)[1]?.includes('\n\n') === true, 'the patch');
      socket.destroy();
      await toggle('internal', true);
      const at = raw.indexOf('\r\n\r\n');
      const head = raw.toString('latin1', 0, at);
      let body = raw.subarray(at + 4);
      if (protocol === 'HTTP/1.0') {
        expect(head).not.toMatch(/transfer-encoding/i);
        expect(body.toString('utf8')).toMatch(/^retry: \d+\n\nid: \d+\nevent: snapshot\ndata: \{/);
        expect(body.toString('utf8')).toContain(marker);
        continue;
      }
      expect(head).toMatch(/transfer-encoding: chunked/i);
      // Each chunk holds whole events, and the chunk sizes account for every byte.
      const chunks: string[] = [];
      while (body.length > 0) {
        const nl = body.indexOf('\r\n');
        const size = Number.parseInt(body.toString('latin1', 0, nl), 16);
        expect(body.toString('latin1', nl + 2 + size, nl + 4 + size)).toBe('\r\n');
        chunks.push(body.toString('utf8', nl + 2, nl + 2 + size));
        body = body.subarray(nl + 4 + size);
      }
      for (const chunk of chunks) expect(chunk.endsWith('\n\n')).toBe(true);
      expect(chunks[0]).toMatch(/^retry: \d+\n\n$/);
      expect(chunks[1]).toMatch(/^id: \d+\nevent: snapshot\ndata: \{/);
      const patch = chunks.find((c) => c.startsWith(marker))!;
      expect(JSON.parse(patch.slice(marker.length))).toMatchObject({ version: target });
    }
  });

  it('delivers every change to many streams at once', async () => {
    const clients = await Promise.all(Array.from({ length: 50 }, () => stream(s.serverKey)));
    await Promise.all(clients.map((c) => c.until((e) => e.some((x) => x.event === 'snapshot'))));
    await toggle('internal', false);
    const target = await version();
    await Promise.all(
      clients.map((c) => c.until((e) => e.some((x) => x.id === String(target)), 'the patch')),
    );
    expect(s.delivery.streams.size).toBeGreaterThanOrEqual(50);
    for (const c of clients) c.close();
    await toggle('internal', true);
  });
});

describe('heartbeats', () => {
  it('beat one slice of the streams per tick, each stream once per period', async () => {
    const s = await listeningServer('sqlite', {
      heartbeatMs: 3_600_000, // the timer stays out of the way: the test ticks by hand
      seed: async ({ vexil }) => {
        await vexil.flags.create('shop', 'f', { type: 'boolean', enabled: true });
      },
    });
    const clients: SseClient[] = [];
    try {
      for (let i = 0; i < 20; i++) {
        const c = await SseClient.open(`${s.url}/api/v1/sdk/stream`, bearer(s.serverKey));
        clients.push(c);
        await c.until((e) => e.some((x) => x.event === 'snapshot'));
      }
      const tick = () => (s.delivery.streams as unknown as { beat(): void }).beat();
      const beats = (c: SseClient) => c.events.filter((e) => e.event === 'heartbeat').length;
      // A patch after the tick reaches every stream after whatever the tick sent it.
      const flush = async (on: boolean) => {
        await s.adminCall(
          'POST',
          `/api/v1/projects/shop/flags/f/environments/production/${on ? 'enable' : 'disable'}`,
        );
        const version = (await s.vexil.environments.get('shop', 'production')).version;
        await Promise.all(clients.map((c) => c.until((e) => e.some((x) => x.id === String(version)))));
      };
      tick();
      await flush(false);
      expect(clients.filter((c) => beats(c) === 1)).toHaveLength(2);
      for (let i = 1; i < 10; i++) tick();
      await flush(true);
      expect(clients.map(beats)).toEqual(clients.map(() => 1));
    } finally {
      for (const c of clients) c.close();
      await s.dispose();
    }
  });
});

describe('shutting down with open streams', () => {
  it('closes every stream with a retry hint, then closes', async () => {
    const s = await listeningServer('sqlite', { retryMs: 1000 });
    const clients = await Promise.all(
      Array.from({ length: 3 }, () => SseClient.open(`${s.url}/api/v1/sdk/stream`, bearer(s.serverKey))),
    );
    await Promise.all(clients.map((c) => c.until((e) => e.length > 0)));
    await s.dispose(); // would hang if a stream stayed open
    for (const c of clients) {
      await c.closed();
      expect(c.retries.length).toBe(2);
      expect(c.retries[1]).toBeGreaterThanOrEqual(1000);
      expect(c.retries[1]).toBeLessThanOrEqual(3000);
    }
  });
});
