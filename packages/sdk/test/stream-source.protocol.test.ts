import { afterEach, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, silentLogger, type VexilClient } from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { next, until } from './support/wait.js';

// Protocol tests: a local fixture speaking docs/protocol.md. The real-server tests are in real-server.test.ts.

const clients: VexilClient[] = [];
const servers: ProtocolServer[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

async function fixture(version = 1) {
  const server = await new ProtocolServer(sampleFlags(version) as Record<string, unknown>).start();
  servers.push(server);
  return server;
}

function client(server: ProtocolServer, options: Partial<ClientOptions> = {}) {
  const c = createClient({
    url: server.url,
    sdkKey: 'vx_server_test',
    logger: silentLogger,
    cache: false,
    events: false,
    retry: { initialDelay: 20, maxDelay: 100 },
    pollInterval: 60_000,
    ...options,
  });
  clients.push(c);
  return c;
}

const red = { type: 'string', enabled: true, variants: { red: 'red' }, defaultServe: { variant: 'red' } };

describe('stream source (protocol)', () => {
  it('becomes ready from the stream snapshot and applies patches as they come', async () => {
    const server = await fixture();
    const c = client(server);
    await c.waitForReady({ timeout: 5000 });
    expect(c.getString('button-color', 'x')).toBe('green');
    const update = next<{ keys: string[]; version: number }>((l) => c.on('update', l));
    server.change({ 'button-color': red });
    expect(await update).toEqual({ keys: ['button-color'], version: 2 });
    expect(c.getString('button-color', 'x')).toBe('red');
  });

  it('sends the key as a bearer token and asks for an event stream', async () => {
    const server = await fixture();
    await client(server).waitForReady({ timeout: 5000 });
    const [request] = server.seen('/api/v1/sdk/stream');
    expect(request?.headers.authorization).toBe('Bearer vx_server_test');
    expect(request?.headers.accept).toBe('text/event-stream');
  });

  it('resumes with Last-Event-ID after a drop and catches up through patches', async () => {
    const server = await fixture(7);
    const c = client(server);
    await c.waitForReady({ timeout: 5000 });
    server.dropStreams();
    server.change({ 'button-color': red });
    await until(() => c.getString('button-color', 'x') === 'red', 'the missed patch');
    const resumed = server.seen('/api/v1/sdk/stream').slice(1);
    expect(resumed.map((r) => r.headers['last-event-id'])).toContain('7');
    expect(c.version).toBe(8);
  });

  it('reconnects and takes a fresh snapshot when a patch does not follow the version held', async () => {
    const server = await fixture(3);
    const c = client(server);
    await c.waitForReady({ timeout: 5000 });
    const before = server.seen('/api/v1/sdk/stream').length;
    server.sendRaw(
      `event: patch\nid: 10\ndata: ${JSON.stringify({ version: 10, previousVersion: 9, flags: { theme: null } })}\n\n`,
    );
    await until(() => server.seen('/api/v1/sdk/stream').length > before, 'a reconnect');
    expect(c.getJson('theme', null)).toEqual({ background: '#000' });
    expect(c.version).toBe(3);
  });

  it('keeps serving the last values when the stream sends data it cannot use', async () => {
    const server = await fixture();
    const errors: string[] = [];
    const c = client(server, { on: { error: (e) => errors.push(e.code) } });
    await c.waitForReady({ timeout: 5000 });
    server.sendRaw('event: patch\nid: 2\ndata: {not json\n\n');
    await until(
      () => errors.length === 1 && server.seen('/api/v1/sdk/stream').length === 2 && server.openStreams === 1,
      'an error and a new stream',
    );
    const withBadFlag = sampleFlags(5);
    (withBadFlag.flags as Record<string, unknown>).broken = { type: 'nope' };
    server.sendRaw(`event: snapshot\nid: 5\ndata: ${JSON.stringify(withBadFlag)}\n\n`);
    await until(() => errors.length >= 2, 'error events');
    expect(errors).toEqual(['INVALID_FLAG_DATA', 'INVALID_FLAG_DATA']);
    expect(c.getNumber('max-items', 0)).toBe(50);
    expect(c.getDetails('broken', 'x').errorCode).toBe('FLAG_NOT_FOUND');
    expect(c.version).toBe(5);
  });

  it('goes stale when the stream drops and recovers when it is back', async () => {
    const server = await fixture();
    const c = client(server);
    await c.waitForReady({ timeout: 5000 });
    const stale = next((l) => c.on('stale', l));
    const recovered = next((l) => c.on('recovered', l));
    server.override = (_req, path) => (path === '/api/v1/sdk/stream' ? { status: 503 } : undefined);
    server.dropStreams();
    await stale;
    expect(c.status).toBe('stale');
    expect(c.getString('button-color', 'x')).toBe('green');
    server.override = undefined;
    await recovered;
    expect(c.status).toBe('ready');
  });

  it('falls back to polling the snapshot while the stream endpoint fails', async () => {
    const server = await fixture();
    server.override = (_req, path) => (path === '/api/v1/sdk/stream' ? { status: 502 } : undefined);
    const c = client(server, { pollInterval: 50 });
    await c.waitForReady({ timeout: 5000 });
    expect(c.getString('button-color', 'x')).toBe('green');
    server.change({ 'button-color': red });
    await until(() => c.getString('button-color', 'x') === 'red', 'the change through polling');
    const polls = server.seen('/api/v1/sdk/snapshot');
    expect(polls.some((r) => r.headers['if-none-match'] === '"server-1"')).toBe(true);
  });

  it('reconnects when a heartbeat shows a newer version than the one held', async () => {
    const server = await fixture(4);
    const c = client(server);
    await c.waitForReady({ timeout: 5000 });
    server.sendRaw(`event: heartbeat\ndata: ${JSON.stringify({ version: 4 })}\n\n`);
    const before = server.seen('/api/v1/sdk/stream').length;
    // A change the stream never delivered (as if a proxy swallowed it), then a heartbeat telling of it.
    server.dropStreams();
    server.change({ theme: null });
    await until(() => c.getJson('theme', 'gone') === 'gone', 'catch-up');
    expect(server.seen('/api/v1/sdk/stream').length).toBeGreaterThan(before);
  });
});
