import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, silentLogger, type VexilClient } from '../src/index.js';
import { type RealServer, startRealServer } from './support/real-server.js';
import { until } from './support/wait.js';

// Subject weights end to end: a weight table and a weighted rollout made through the admin API
// of a real `vexil serve`, evaluated locally by the SDK, a change of weights arriving as a patch.

const dbDir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-weights-'));
let server: RealServer;
const clients: VexilClient[] = [];
const P = '/api/v1/projects/default';

beforeAll(async () => {
  server = await startRealServer({ dbDir });
  // Seeds under seed "checkout": globex 5000, acme 35000, initech 75000, hooli 95000
  // (conformance/subject-weights.json); "on" takes buckets 60000 and up.
  await server.admin('PUT', `${P}/subject-weights/accounts`, {
    description: 'Seats per account',
    weights: { acme: 50, globex: 10, initech: 30, hooli: 10 },
  });
  await server.admin('POST', `${P}/flags`, {
    key: 'billing',
    type: 'boolean',
    clientVisible: true,
    environments: {
      production: {
        enabled: true,
        defaultServe: {
          rollout: {
            variants: { on: 40000, off: 60000 },
            bucketBy: 'accountId',
            seed: 'checkout',
            weightedBy: 'accounts',
          },
        },
      },
    },
  });
}, 120_000);

afterAll(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  await server?.kill();
  rmSync(dbDir, { recursive: true, force: true });
});

async function client(kind: 'server' | 'client'): Promise<VexilClient> {
  const { secret } = await server.admin<{ secret: string }>('POST', '/api/v1/keys', {
    kind,
    project: 'default',
    environment: 'production',
  });
  const c = createClient({
    url: server.url,
    sdkKey: secret,
    logger: silentLogger,
    cache: false,
    events: false,
  });
  clients.push(c);
  await c.waitForReady({ timeout: 10_000 });
  return c;
}

const onFor = (c: VexilClient) =>
  ['acme', 'globex', 'initech', 'hooli'].filter((accountId) => c.getBoolean('billing', false, { accountId }));

describe('subject weights against a real server', () => {
  it('serves the weighted split locally and follows a change of weights over the stream', async () => {
    const backend = await client('server');
    const browser = await client('client');
    expect(onFor(backend)).toEqual(['initech', 'hooli']);
    expect(onFor(browser)).toEqual(['initech', 'hooli']);
    // hooli grows to 200 seats: the accounts before it in the layout move down the line.
    await server.admin('PATCH', `${P}/subject-weights/accounts`, { weights: { hooli: 200 } });
    await until(() => onFor(backend).length === 1, 'the new weights on the server client');
    expect(onFor(backend)).toEqual(['hooli']);
    await until(() => onFor(browser).length === 1, 'the new weights on the client-key client');
  });
});
