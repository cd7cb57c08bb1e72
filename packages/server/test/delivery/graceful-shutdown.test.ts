import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServe } from '../cli/spawn.js';
import { tempDir } from '../helpers/temp-dir.js';
import { SseClient } from './sse-client.js';

const dir = tempDir('vexil-shutdown-');
afterAll(() => dir.remove());

describe('vexil serve on SIGTERM', () => {
  it('closes open streams with a retry hint, finishes, and exits cleanly', async () => {
    const adminToken = `admin-${randomBytes(16).toString('hex')}`;
    const server = spawnServe(['--port', '0', '--host', '127.0.0.1'], {
      VEXIL_DB: join(dir.path, 'vexil.db'),
      VEXIL_ADMIN_TOKEN: adminToken,
    });
    try {
      const { url } = (await server.waitForLog('vexil ready')) as { url: string };
      const created = await fetch(`${url}/api/v1/keys`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'server', project: 'default', environment: 'production' }),
      });
      const { secret } = (await created.json()) as { secret: string };
      const streams = await Promise.all(
        [0, 1].map(() => SseClient.open(`${url}/api/v1/sdk/stream`, { authorization: `Bearer ${secret}` })),
      );
      await Promise.all(streams.map((s) => s.until((e) => e.some((x) => x.event === 'snapshot'))));
      expect((await fetch(`${url}/readyz`)).status).toBe(200);

      server.signal('SIGTERM');
      for (const s of streams) {
        await s.closed();
        expect(s.retries).toHaveLength(2); // the first on connect, the second the shutdown hint
      }
      expect(await server.exited).toBe(0);
      expect(server.stdout()).toContain('"shutting down"');
    } finally {
      server.signal('SIGKILL');
    }
  });
});
