import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, resolveServeConfig, startServer } from '@vexil/server';

/** A real Vexil server on a temp SQLite file, on an ephemeral port, with an admin key made through its services. */
export interface TestServer {
  readonly url: string;
  readonly token: string;
  readonly server: RunningServer;
  /** Calls the admin API with the admin key; throws on an error status. */
  api<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<T>;
  close(): Promise<void>;
}

export async function startTestServer(options: { port?: number } = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vexil-dashboard-'));
  const config = resolveServeConfig(
    { db: join(dir, 'vexil.db'), port: String(options.port ?? 0), host: '127.0.0.1', logLevel: 'silent' },
    {},
  );
  // The first start makes (and would print) an admin key; the tests make their own through the services.
  const server = await startServer(config, () => undefined);
  const { secret: token } = await server.vexil.keys.create({ kind: 'admin', name: 'dashboard tests' });
  const url = server.url;
  return {
    url,
    token,
    server,
    async api<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
      return (text === '' ? undefined : JSON.parse(text)) as T;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
