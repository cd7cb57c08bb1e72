import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type BucketRequest,
  type ClientOptions,
  createClient,
  silentLogger,
  type VexilClient,
} from '../src/index.js';
import { sampleFlags } from './support/flags.js';
import { startRealServer } from './support/real-server.js';
import { makeSigner } from './support/signing.js';
import { next, until } from './support/wait.js';

// The bucket source against s3rver on loopback: the file is uploaded with the AWS SDK, and
// read by the SDK over plain HTTP GET (no AWS SDK inside @vexil/sdk).

const directory = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-s3rver-'));
const signer = makeSigner('k-bucket');
let s3rver: S3rver;
let endpoint = '';
let s3: S3Client;
const clients: VexilClient[] = [];

beforeAll(async () => {
  s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: 'flags' }],
  });
  const { port } = await s3rver.run();
  endpoint = `http://127.0.0.1:${port}`;
  s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  s3.destroy();
  await s3rver.close();
  rmSync(directory, { recursive: true, force: true });
});

let n = 0;
/** Uploads a file to a fresh prefix and returns the prefix URL. */
async function publish(body: unknown, prefix = `env${++n}`): Promise<string> {
  await s3.send(
    new PutObjectCommand({
      Bucket: 'flags',
      Key: `${prefix}/flags-production-server.json`,
      Body: JSON.stringify(body),
      ContentType: 'application/json',
    }),
  );
  return `${endpoint}/flags/${prefix}`;
}

function client(url: string, options: Partial<ClientOptions> = {}) {
  const c = createClient({
    source: 'bucket',
    bucket: { url, environment: 'production' },
    signingKeys: [signer.publicKey],
    logger: silentLogger,
    cache: false,
    pollInterval: 50,
    retry: { initialDelay: 20, maxDelay: 50 },
    ...options,
  });
  clients.push(c);
  return c;
}

describe('bucket source (s3rver)', () => {
  it('reads flags-{environment}-{scope}.json, checks the signature, and follows changes with ETag', async () => {
    const url = await publish(signer.sign(sampleFlags(1)));
    const statuses: number[] = [];
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      statuses.push(response.status);
      return response;
    };
    const c = client(url, { fetch: recordingFetch });
    await c.waitForReady({ timeout: 5000 });
    expect(c.getString('button-color', 'x', { country: 'NL' })).toBe('blue');
    await until(() => statuses.includes(304), 'a 304 Not Modified');

    const changed = sampleFlags(2);
    (changed.flags['button-color'] as { defaultServe: unknown }).defaultServe = { variant: 'blue' };
    const update = next<{ keys: string[] }>((l) => c.on('update', l));
    await publish(signer.sign(changed), url.split('/').at(-1));
    expect((await update).keys).toEqual(['button-color']);
    expect(c.getString('button-color', 'x')).toBe('blue');
  });

  it('keeps serving the last good flags when the file is tampered with, and says why', async () => {
    const url = await publish(signer.sign(sampleFlags(1)));
    const c = client(url);
    await c.waitForReady({ timeout: 5000 });
    // The refusal, not a network hiccup of the local s3rver on a loaded machine.
    const error = new Promise<{ code: string; message: string }>((resolve) => {
      const off = c.on('error', (e) => {
        if (e.code !== 'SIGNATURE_INVALID') return;
        off();
        resolve(e);
      });
    });
    const signedTampered = signer.sign(sampleFlags(2));
    const tampered = {
      ...signedTampered,
      payload: signedTampered.payload.replace('"large":50', '"large":5'),
    };
    await publish(tampered, url.split('/').at(-1));
    expect(await error).toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: expect.stringContaining('bucket file refused'),
    });
    expect(c.getNumber('max-items', 0)).toBe(50);
    expect(c.status).toBe('stale');
  });

  it('refuses an unsigned file: the bucket source requires a signature by default', async () => {
    const url = await publish(sampleFlags(1));
    const c = client(url, { signingKeys: undefined as never });
    await expect(c.waitForReady({ timeout: 5000 })).rejects.toMatchObject({
      code: 'SIGNATURE_INVALID',
      message: expect.stringContaining('no signing keys'),
    });
  });

  it('reads an unsigned file when told to', async () => {
    const url = await publish(sampleFlags(1));
    const c = client(url, { signingKeys: undefined as never, requireSignature: false });
    await c.waitForReady({ timeout: 5000 });
    expect(c.getNumber('max-items', 0)).toBe(50);
  });

  it('signs requests through the signRequest hook (AWS SigV4 here)', async () => {
    const url = await publish(signer.sign(sampleFlags(1)));
    const sigv4 = (accessKeyId: string) => {
      const v4 = new SignatureV4({
        credentials: { accessKeyId, secretAccessKey: 'S3RVER' },
        region: 'us-east-1',
        service: 's3',
        sha256: Sha256,
      });
      return async (request: BucketRequest): Promise<BucketRequest> => {
        const u = new URL(request.url);
        const signed = await v4.sign({
          method: request.method,
          protocol: u.protocol,
          hostname: u.hostname,
          port: Number(u.port),
          path: u.pathname,
          query: {},
          headers: { ...request.headers, host: u.host },
        });
        return { ...request, headers: signed.headers as Record<string, string> };
      };
    };
    const good = client(url, { bucket: { url, environment: 'production', signRequest: sigv4('S3RVER') } });
    await good.waitForReady({ timeout: 5000 });
    expect(good.getNumber('max-items', 0)).toBe(50);

    const errors: string[] = [];
    const bad = client(url, { bucket: { url, environment: 'production', signRequest: sigv4('UNKNOWNKEY') } });
    bad.on('error', (e) => errors.push(e.message));
    await until(() => errors.length > 0, 'an error');
    expect(errors[0]).toMatch(/answered 403.*signRequest/);
  });

  it('takes a URL ending in .json as the file itself (a pre-signed or CDN URL)', async () => {
    const url = await publish(signer.sign(sampleFlags(1)));
    const c = client(`${url}/flags-production-server.json`, {
      bucket: { url: `${url}/flags-production-server.json` },
    });
    await c.waitForReady({ timeout: 5000 });
    expect(c.getNumber('max-items', 0)).toBe(50);
  });
});

describe('bucket source with keys from a real server', () => {
  it('verifies a bucket file with the signing keys the server publishes (GET /api/v1/sdk/signing-keys)', async () => {
    const serverSigner = makeSigner('k-server');
    const dbDir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-bucket-real-'));
    const server = await startRealServer({
      dbDir,
      env: { VEXIL_SIGNING_KEY: serverSigner.privateKeyBase64, VEXIL_SIGNING_KEY_ID: serverSigner.keyId },
    });
    try {
      const published = await fetch(`${server.url}/api/v1/sdk/signing-keys`);
      expect(published.status).toBe(200);
      // The file as the server's publisher writes it: signed with the server's key.
      const url = await publish(serverSigner.sign(sampleFlags(1)));
      const c = client(url, { url: server.url, signingKeys: undefined as never });
      await c.waitForReady({ timeout: 10_000 });
      expect(c.getNumber('max-items', 0)).toBe(50);
      // A file signed by anyone else is refused.
      const forged = client(await publish(signer.sign(sampleFlags(1))), {
        url: server.url,
        signingKeys: undefined as never,
      });
      await expect(forged.waitForReady({ timeout: 10_000 })).rejects.toMatchObject({
        code: 'SIGNATURE_INVALID',
        message: expect.stringContaining('unknown key "k-bucket"'),
      });
    } finally {
      await server.kill();
      rmSync(dbDir, { recursive: true, force: true });
    }
  });
});

/** SHA-256 in the shape SignatureV4 expects, over node:crypto. */
class Sha256 {
  private readonly hash: Hash | Hmac;
  constructor(secret?: string | ArrayBuffer | ArrayBufferView) {
    this.hash = secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(secret));
  }
  update(data: string | ArrayBuffer | ArrayBufferView): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
}

function bytes(data: string | ArrayBuffer | ArrayBufferView): string | Buffer {
  if (typeof data === 'string') return data;
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}
