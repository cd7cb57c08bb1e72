import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type ClientOptions, createClient, silentLogger, type VexilClient } from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { makeSigner } from './support/signing.js';
import { next } from './support/wait.js';

const dir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const clients: VexilClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

let n = 0;
function writeFlags(content: unknown, file = path.join(dir, `flags-${++n}.json`)): string {
  writeFileSync(file, JSON.stringify(content));
  return file;
}

function client(options: Partial<ClientOptions>) {
  const c = createClient({
    source: 'file',
    logger: silentLogger,
    retry: { initialDelay: 20, maxDelay: 50 },
    ...options,
  });
  clients.push(c);
  return c;
}

describe('file source (Node)', () => {
  it('serves flags from a file without any network', async () => {
    const c = client({
      file: writeFlags(sampleFlags(1)),
      fetch: () => Promise.reject(new Error('no network!')),
    });
    await c.waitForReady({ timeout: 5000 });
    expect(c.getNumber('max-items', 0)).toBe(50);
    expect(c.eventStats()).toEqual({ queued: 0, sent: 0, dropped: 0, rejected: 0 });
  });

  it('re-reads a watched file when it changes', async () => {
    const file = writeFlags(sampleFlags(1));
    const c = client({ file: { path: file, watch: true }, pollInterval: 30 });
    await c.waitForReady({ timeout: 5000 });
    const update = next<{ keys: string[] }>((l) => c.on('update', l));
    const changed = sampleFlags(2);
    (changed.flags['max-items'] as { defaultServe: unknown }).defaultServe = { variant: 'small' };
    writeFlags(changed, file);
    expect((await update).keys).toEqual(['max-items']);
    expect(c.getNumber('max-items', 0)).toBe(10);
  });

  it('accepts a signed file and refuses a tampered one', async () => {
    const signer = makeSigner('k-file');
    const good = client({ file: writeFlags(signer.sign(sampleFlags(1))), signingKeys: [signer.publicKey] });
    await good.waitForReady({ timeout: 5000 });
    expect(good.getNumber('max-items', 0)).toBe(50);

    const signedEnvelope = signer.sign(sampleFlags(1));
    const envelope = {
      ...signedEnvelope,
      payload: signedEnvelope.payload.replace('"small":10', '"small":11'),
    };
    const bad = client({ file: writeFlags(envelope), signingKeys: [signer.publicKey] });
    await expect(bad.waitForReady({ timeout: 5000 })).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
    expect(bad.getNumber('max-items', 1)).toBe(1);
  });

  it('says clearly when the file is missing or not JSON', async () => {
    const missing = client({ file: path.join(dir, 'nope.json') });
    await expect(missing.waitForReady({ timeout: 5000 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: expect.stringContaining('could not read the flag file'),
    });
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ not json');
    const broken = client({ file });
    await expect(broken.waitForReady({ timeout: 5000 })).rejects.toMatchObject({ code: 'INVALID_FLAG_DATA' });
  });
});
