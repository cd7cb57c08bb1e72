import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClient, silentLogger } from '@vexil/sdk';
import { quantile, textTable } from '../stats.js';

const CLI = fileURLToPath(new URL('../../../packages/server/src/cli/main.ts', import.meta.url));
const WRITES = 200;

/**
 * Admin write → SDK `update` event, against a real server (`vexil serve` on SQLite in a
 * child process): the time from sending `POST …/environments/production/enable|disable`
 * to the client's `update` event for that flag, one write at a time.
 */
export async function measureUpdateLatency(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'vexil-bench-latency-'));
  const adminToken = `admin-${randomBytes(16).toString('hex')}`;
  const child = spawn(
    process.execPath,
    ['--conditions=vexil-source', '--import', 'tsx', CLI, 'serve', '--host', '127.0.0.1', '--port', '0'],
    {
      env: {
        ...process.env,
        VEXIL_ADMIN_TOKEN: adminToken,
        VEXIL_DB: path.join(dir, 'vexil.db'),
        VEXIL_LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const url = await readyUrl(child);
    const admin = async (method: string, route: string, body?: unknown) => {
      const response = await fetch(`${url}${route}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${route} → ${response.status}: ${await response.text()}`);
      return response.json() as Promise<Record<string, unknown>>;
    };
    const { secret } = await admin('POST', '/api/v1/keys', {
      kind: 'server',
      project: 'default',
      environment: 'production',
    });
    await admin('POST', '/api/v1/projects/default/flags', { key: 'latency', type: 'boolean' });
    const probe = await fetch(`${url}/api/v1/sdk/stream`, { headers: { authorization: `Bearer ${secret}` } });
    await probe.body?.cancel();
    if (probe.status === 404) {
      console.log('admin write → update latency: not measured (the server has no /api/v1/sdk/stream yet)');
      return;
    }
    const client = createClient({
      url,
      sdkKey: String(secret),
      logger: silentLogger,
      cache: false,
      events: false,
    });
    await client.waitForReady({ timeout: 10_000 });
    const latencies: number[] = [];
    const acknowledged: number[] = [];
    for (let i = 0; i < WRITES; i++) {
      const updated = new Promise<void>((resolve) => {
        const off = client.on('update', ({ keys }) => {
          if (!keys.includes('latency')) return;
          off();
          resolve();
        });
      });
      const start = performance.now();
      await admin(
        'POST',
        `/api/v1/projects/default/flags/latency/environments/production/${i % 2 === 0 ? 'enable' : 'disable'}`,
      );
      acknowledged.push(performance.now() - start);
      await updated;
      latencies.push(performance.now() - start);
    }
    await client.close();
    const ms = (values: number[], q: number) => `${quantile(values, q).toFixed(2)} ms`;
    const row = (label: string, values: number[]) => [
      label,
      ...[0.5, 0.9, 0.99, 1].map((q) => ms(values, q)),
    ];
    console.log(
      `admin write → SDK update event (stream, ${WRITES} writes one at a time, SQLite, loopback):\n`,
    );
    console.log(
      textTable([
        ['from sending the write', 'p50', 'p90', 'p99', 'max'],
        row('to the admin API answer', acknowledged),
        row('to the SDK update event', latencies),
      ]),
    );
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

function readyUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const line = buffer.split('\n').find((l) => l.includes('"vexil ready"'));
      if (line !== undefined) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`vexil serve exited with ${code}: ${buffer}`)));
  });
}
