import { afterEach, describe, expect, it } from 'vitest';
import { createClient, type SigningKey, silentLogger, type VexilClient } from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { makeSigner } from './support/signing.js';
import { until } from './support/wait.js';

// The bucket source checks files with the keys the server publishes. When the server rotates
// its signing key, files signed with the new key must still be read: the SDK fetches the key
// list again when a file names a key it lacks (docs/protocol.md, "Public keys and rotation").

const clients: VexilClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

/** A server that publishes `keys` and a bucket that holds `file`, both behind one fetch. */
function world() {
  const state = { keys: [] as SigningKey[], file: undefined as unknown, keyFetches: 0, fileFetches: 0 };
  const fetch: typeof globalThis.fetch = async (input) => {
    const url = String(input);
    if (url === 'https://vexil.test/api/v1/sdk/signing-keys') {
      state.keyFetches++;
      return Response.json({ keys: state.keys });
    }
    if (url === 'https://bucket.test/shop/flags-production-server.json') {
      state.fileFetches++;
      return Response.json(state.file);
    }
    return new Response('not found', { status: 404 });
  };
  return { state, fetch };
}

/** A flag set of one number flag serving `value`, at version `value`. */
function limit(value: number) {
  return {
    version: value,
    environment: 'production',
    flags: {
      limit: { type: 'number', enabled: true, variants: { v: value }, defaultServe: { variant: 'v' } },
    },
  };
}

function client(fetch: typeof globalThis.fetch): VexilClient {
  const c = createClient({
    source: 'bucket',
    bucket: { url: 'https://bucket.test/shop', environment: 'production' },
    url: 'https://vexil.test',
    sdkKey: 'vx_server_test',
    fetch,
    logger: silentLogger,
    cache: false,
    events: false,
    pollInterval: 20,
    retry: { initialDelay: 10, maxDelay: 20 },
  });
  clients.push(c);
  return c;
}

describe('signing keys fetched from the server', () => {
  it('reads a file signed with a key the server rotated to after the SDK fetched its keys', async () => {
    const { state, fetch } = world();
    const before = makeSigner('k-before');
    const after = makeSigner('k-after');
    state.keys = [before.publicKey];
    state.file = before.sign(limit(1));
    const c = client(fetch);
    await c.waitForReady({ timeout: 5000 });
    expect(c.getNumber('limit', 0)).toBe(1);
    expect(state.keyFetches).toBe(1);

    // The server rotates: the new key first, the old one still published.
    state.keys = [after.publicKey, before.publicKey];
    state.file = after.sign(limit(2));
    await until(() => c.getNumber('limit', 0) === 2, 'the file signed with the new key');
    expect(state.keyFetches).toBe(2);
  });

  it('asks again once per unknown key id, and keeps refusing a file no published key signed', async () => {
    const { state, fetch } = world();
    const server = makeSigner('k-server');
    const stranger = makeSigner('k-stranger');
    state.keys = [server.publicKey];
    state.file = server.sign(sampleFlags(1));
    const c = client(fetch);
    await c.waitForReady({ timeout: 5000 });
    const refused = new Promise<string>((resolve) => {
      const off = c.on('error', (error) => {
        if (error.code !== 'SIGNATURE_INVALID') return;
        off();
        resolve(error.message);
      });
    });

    state.file = stranger.sign(limit(2));
    const polled = state.fileFetches;
    expect(await refused).toContain('unknown key "k-stranger"');
    await until(() => state.fileFetches >= polled + 5, 'several polls of the forged file');
    expect(state.keyFetches).toBe(2); // the first fetch, and one more for k-stranger: not one per poll
    expect(c.getNumber('max-items', 0)).toBe(50); // still the last good flags
  });
});
