import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { createServer } from '../../src/http/create-server.js';
import { newTestVexil, type StoreKind, type TestVexil } from './vexil.js';

export interface TestServer extends TestVexil {
  readonly app: FastifyInstance;
  /** A working admin key. */
  readonly admin: string;
  /** Sends a request, with `Authorization: Bearer <key>` when a key is given. */
  call(
    method: InjectOptions['method'],
    url: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string>; payload?: string },
  ): Promise<LightMyRequestResponse>;
}

/** A server on a fresh store with project `shop` and an admin key, for `inject()` calls. */
export async function newTestServer(
  options: { kind?: StoreKind; readOnly?: boolean } = {},
): Promise<TestServer> {
  const t = await newTestVexil(options.kind ?? 'sqlite');
  const app = await createServer({ vexil: t.vexil, readOnly: options.readOnly ?? false });
  const { secret: admin } = await t.vexil.keys.create({ kind: 'admin', name: 'test admin' });
  return {
    ...t,
    app,
    admin,
    call(method, url, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      const key = o.key === undefined ? admin : o.key;
      if (key !== null) headers.authorization = `Bearer ${key}`;
      const request: InjectOptions = { method: method ?? 'GET', url, headers };
      if (o.body !== undefined) request.payload = o.body as object;
      if (o.payload !== undefined) request.payload = o.payload;
      return app.inject(request);
    },
    async dispose() {
      await app.close();
      await t.dispose();
    },
  };
}
