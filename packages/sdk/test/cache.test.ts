import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { fileStorage } from '../src/cache/file-storage.js';
import { SnapshotCache } from '../src/cache/snapshot-cache.js';
import { type ClientOptions, createClient, silentLogger, type VexilClient } from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { until } from './support/wait.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clients: VexilClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

let n = 0;
/** A fresh cache directory per test. */
function cacheDir() {
  return path.join(dir, String(++n));
}

function client(url: string, options: Partial<ClientOptions>) {
  const c = createClient({
    url,
    sdkKey: 'vx_server_test',
    source: 'poll',
    logger: silentLogger,
    events: false,
    retry: { initialDelay: 20, maxDelay: 50 },
    ...options,
  });
  clients.push(c);
  return c;
}

/** Runs a server once so a client caches its flags, then stops it; returns the dead URL. */
async function primeCache(cache: NonNullable<ClientOptions['cache']>): Promise<string> {
  const server = await new ProtocolServer(sampleFlags(6) as Record<string, unknown>).start();
  const c = client(server.url, { cache });
  await c.waitForReady({ timeout: 5000 });
  await c.close();
  await server.stop();
  return server.url;
}

function cacheFiles(cacheDirectory: string) {
  return readdirSync(cacheDirectory);
}

describe('snapshot cache on disk (Node)', () => {
  it('writes the last good snapshot atomically, leaving no temporary file', async () => {
    const directory = cacheDir();
    await primeCache({ dir: directory });
    const files = cacheFiles(directory);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^flags-[0-9a-f]+\.json$/);
    const record = JSON.parse(readFileSync(path.join(directory, files[0]!), 'utf8'));
    expect(record).toMatchObject({ format: 'vexil-cache/1', version: 6 });
    expect(record.data.flags['max-items']).toBeDefined();
  });

  it('serves the cached flags when the process starts while the server is down', async () => {
    const directory = cacheDir();
    const deadUrl = await primeCache({ dir: directory });
    const ready: unknown[] = [];
    const c = client(deadUrl, { cache: { dir: directory }, on: { ready: (r) => ready.push(r) } });
    await c.waitForReady({ timeout: 5000 });
    expect(ready).toEqual([{ origin: 'cache', version: 6 }]);
    expect(c.status).toBe('stale');
    expect(c.getString('button-color', 'x', { country: 'NL' })).toBe('blue');
  });

  it('ignores a cached snapshot older than the TTL', async () => {
    const storage = fileStorage(cacheDir());
    const cache = new SnapshotCache(storage, 'ttl.json', 60_000, undefined, () => {});
    await cache.save(sampleFlags(3), 3, 1_000_000);
    expect(await cache.load(1_000_000 + 60_000)).toMatchObject({ version: 3 });
    expect(await cache.load(1_000_000 + 60_001)).toBeUndefined();
  });

  it('encrypts the cache with AES-256-GCM so flag data is unreadable on disk', async () => {
    const directory = cacheDir();
    const deadUrl = await primeCache({ dir: directory, encrypt: true });
    const text = readFileSync(path.join(directory, cacheFiles(directory)[0]!), 'utf8');
    expect(text).not.toContain('max-items');
    expect(JSON.parse(text).sealed).toMatchObject({ iv: expect.any(String), ciphertext: expect.any(String) });
    const c = client(deadUrl, { cache: { dir: directory, encrypt: true } });
    await c.waitForReady({ timeout: 5000 });
    expect(c.getNumber('max-items', 0)).toBe(50);
  });

  it('does not use an encrypted cache with the wrong secret, nor one that was tampered with', async () => {
    const directory = cacheDir();
    const deadUrl = await primeCache({ dir: directory, encrypt: 'a-long-random-secret-0123456789abcdef' });
    const wrong = client(deadUrl, { cache: { dir: directory, encrypt: 'another-secret-0123456789abcdef' } });
    const errors: string[] = [];
    wrong.on('error', (e) => errors.push(e.code));
    await until(() => errors.includes('CACHE_ERROR'), 'a cache error');
    expect(wrong.getNumber('max-items', 1)).toBe(1);

    const file = path.join(directory, cacheFiles(directory)[0]!);
    const record = JSON.parse(readFileSync(file, 'utf8'));
    const bytes = Buffer.from(record.sealed.ciphertext, 'base64');
    bytes[10] = (bytes[10] ?? 0) ^ 1;
    record.sealed.ciphertext = bytes.toString('base64');
    writeFileSync(file, JSON.stringify(record));
    const tampered = client(deadUrl, {
      cache: { dir: directory, encrypt: 'a-long-random-secret-0123456789abcdef' },
    });
    const tamperErrors: string[] = [];
    tampered.on('error', (e) => tamperErrors.push(e.code));
    await until(() => tamperErrors.includes('CACHE_ERROR'), 'a cache error');
    expect(tampered.getNumber('max-items', 1)).toBe(1);
  });

  it('keeps caches of different keys apart', async () => {
    const directory = cacheDir();
    await primeCache({ dir: directory });
    const server = await new ProtocolServer(sampleFlags(2) as Record<string, unknown>).start();
    server.keys.add('vx_server_other');
    const other = client(server.url, { sdkKey: 'vx_server_other', cache: { dir: directory } });
    await other.waitForReady({ timeout: 5000 });
    await other.close();
    await server.stop();
    expect(cacheFiles(directory)).toHaveLength(2);
  });
});
