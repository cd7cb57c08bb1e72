import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type FlagSetDefinition, verifySignedPayload } from '@vexil/core';
import { Counter } from 'prom-client';
import S3rver from 's3rver';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDelivery, type Delivery } from '../../src/delivery/delivery.js';
import { createDirectoryTarget } from '../../src/publishing/directory-target.js';
import { createPublisher, type Publisher } from '../../src/publishing/publisher.js';
import { createS3Target } from '../../src/publishing/s3-target.js';
import { newTestVexil, type TestVexil } from '../helpers/vexil.js';

// Bucket publishing against a real S3-compatible server on loopback (s3rver) and a real
// directory: files are the signed envelopes, verified with the server's public key.

const s3dir = mkdtempSync(join(tmpdir(), 'vexil-s3rver-'));
let s3rver: S3rver;
let endpoint = '';
let s3: S3Client;
const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

beforeAll(async () => {
  s3rver = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: s3dir,
    configureBuckets: [{ name: 'flags' }],
  });
  const { port } = await s3rver.run();
  endpoint = `http://127.0.0.1:${port}`;
  s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
});

afterAll(async () => {
  s3.destroy();
  await s3rver.close();
  rmSync(s3dir, { recursive: true, force: true });
});

interface Setup {
  t: TestVexil;
  delivery: Delivery;
  publisher: Publisher;
  metrics: { publishes: Counter<'target'>; publishFailures: Counter<'target'> };
}

const open: Setup[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const s of open.splice(0)) {
    await s.publisher.close();
    s.delivery.close();
    await s.t.dispose();
  }
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vexil-publish-'));
  dirs.push(dir);
  return dir;
}

let n = 0;
async function setup(
  targets: Parameters<typeof createPublisher>[0]['targets'],
  extra: object = {},
): Promise<Setup> {
  const t = await newTestVexil('sqlite');
  const delivery = createDelivery({ vexil: t.vexil });
  await delivery.start();
  n++;
  const metrics = {
    publishes: new Counter({ name: `p${n}`, help: 'p', labelNames: ['target'], registers: [] }),
    publishFailures: new Counter({ name: `f${n}`, help: 'f', labelNames: ['target'], registers: [] }),
  };
  const publisher = createPublisher({
    source: delivery.snapshots,
    targets,
    metrics,
    retryMs: 50,
    maxRetryMs: 200,
    ...extra,
  });
  publisher.start();
  const s = { t, delivery, publisher, metrics };
  open.push(s);
  return s;
}

async function objectText(bucket: string, key: string): Promise<string> {
  const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return got.Body!.transformToString();
}

/** The flag set in a signed envelope, after checking its signature with the server's public keys. */
async function verified(text: string, delivery: Delivery): Promise<FlagSetDefinition> {
  const keys = delivery.signingKeys.publicKeys().map((k) => ({ keyId: k.keyId, publicKey: k.publicKey }));
  return JSON.parse(await verifySignedPayload(JSON.parse(text), keys));
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const end = Date.now() + 20_000;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const total = async (c: Counter<'target'>) => (await c.get()).values.reduce((s, v) => s + v.value, 0);

describe('bucket publishing', () => {
  it('publishes every environment and scope to S3 as signed envelopes, and each change after', async () => {
    const prefix = `run-${Date.now()}/{project}/`;
    const target = createS3Target({ bucket: 'flags', endpoint, forcePathStyle: true, credentials });
    const { t, delivery, publisher } = await setup([target], { prefix });
    await publisher.idle();
    const base = prefix.replace('{project}', 'shop');
    for (const env of ['development', 'staging', 'production']) {
      for (const scope of ['server', 'client']) {
        const text = await objectText('flags', `${base}flags-${env}-${scope}.json`);
        const set = await verified(text, delivery);
        expect(set).toMatchObject({ project: 'shop', environment: env, scope });
      }
    }
    await t.vexil.flags.create('shop', 'checkout', { type: 'boolean', clientVisible: true });
    await t.vexil.flags.enable('shop', 'production', 'checkout');
    const version = (await t.store.getEnvironment('shop', 'production'))!.version;
    await until(async () => {
      await publisher.idle();
      const text = await objectText('flags', `${base}flags-production-client.json`);
      return JSON.parse(JSON.parse(text).payload).version === version;
    }, 'the latest version in the bucket');
    const text = await objectText('flags', `${base}flags-production-client.json`);
    const set = await verified(text, delivery);
    expect(set.flags.checkout).toMatchObject({ enabled: true });
    expect(set.version).toBe(version);
  });

  it('retries a failed publish, shows it in status and metrics, and publishes once the bucket exists', async () => {
    const bucket = `late-${Date.now()}`;
    const target = createS3Target({ bucket, endpoint, forcePathStyle: true, credentials });
    const { publisher, metrics } = await setup([target], { scopes: ['client'] });
    await until(() => publisher.status().failing.length === 3, 'three failing files');
    const failing = publisher.status().failing;
    expect(failing[0]).toMatchObject({ target: `s3://${bucket}`, key: 'shop/flags-development-client.json' });
    expect(failing[0]!.error).not.toBe('');
    expect(publisher.status().pending).toBe(3);
    await until(async () => (await total(metrics.publishFailures)) >= 6, 'retries counted');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await until(() => publisher.status().pending === 0, 'the retries to succeed');
    expect(publisher.status().failing).toEqual([]);
    expect(await total(metrics.publishes)).toBe(3);
    expect(JSON.parse(await objectText(bucket, 'shop/flags-production-client.json')).format).toBe(
      'vexil-signed-flagset/1',
    );
  });

  it('writes a directory atomically: a reader never sees a partial file', async () => {
    const dir = tempDir();
    const { t, delivery, publisher } = await setup([createDirectoryTarget({ path: dir })], {
      prefix: '',
      scopes: ['server'],
    });
    await publisher.idle();
    const file = join(dir, 'flags-production-server.json');
    let reads = 0;
    let stop = false;
    const reader = (async () => {
      while (!stop) {
        const text = readFileSync(file, 'utf8');
        JSON.parse(JSON.parse(text).payload); // throws on a partial file
        reads++;
        await new Promise((r) => setImmediate(r));
      }
    })();
    // A burst of changes: coalesced, each file written whole.
    for (let i = 0; i < 20; i++) {
      await t.vexil.flags.create('shop', `f${i}`, { type: 'boolean', description: 'x'.repeat(2000) });
    }
    const version = (await t.store.getEnvironment('shop', 'production'))!.version;
    await until(async () => {
      await publisher.idle();
      return JSON.parse(JSON.parse(readFileSync(file, 'utf8')).payload).version === version;
    }, 'the last version on disk');
    stop = true;
    await reader;
    expect(reads).toBeGreaterThan(0);
    const set = await verified(readFileSync(file, 'utf8'), delivery);
    expect(Object.keys(set.flags)).toHaveLength(20);
  });

  it('never replaces a newer file with an older one', async () => {
    const dir = tempDir();
    const { t, delivery, publisher } = await setup([createDirectoryTarget({ path: dir })], {
      prefix: '',
      scopes: ['server'],
    });
    await publisher.idle();
    const file = join(dir, 'flags-production-server.json');
    // Another replica already published a later version.
    const newer = JSON.stringify({
      format: 'vexil-signed-flagset/1',
      payload: JSON.stringify({ version: 1e9 }),
    });
    writeFileSync(file, newer);
    await t.vexil.flags.create('shop', 'late', { type: 'boolean' });
    const version = (await t.store.getEnvironment('shop', 'development'))!.version;
    const development = join(dir, 'flags-development-server.json');
    // The same change reached development's file: the publisher has handled it.
    await until(async () => {
      await publisher.idle();
      return JSON.parse(JSON.parse(readFileSync(development, 'utf8')).payload).version === version;
    }, 'the change to be published');
    await delivery.snapshots.waitForVersion('shop', 'production', version, 20_000);
    await publisher.idle();
    expect(readFileSync(file, 'utf8')).toBe(newer);
  });

  it('retries a directory it cannot write until it can', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blocked'), 'a file where the directory should be');
    const { publisher } = await setup([createDirectoryTarget({ path: join(dir, 'blocked') })], {
      scopes: ['server'],
    });
    await until(() => publisher.status().failing.length === 3, 'three failing files');
    rmSync(join(dir, 'blocked'));
    await until(() => publisher.status().pending === 0, 'the retries to succeed');
    expect(readFileSync(join(dir, 'blocked', 'shop', 'flags-staging-server.json'), 'utf8')).toContain(
      'payload',
    );
  });
});
