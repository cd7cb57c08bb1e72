import { Writable } from 'node:stream';
import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createServer } from '../../src/http/create-server.js';
import { lazyChildLogger } from '../../src/http/request-logger.js';
import { newTestVexil } from '../helpers/vexil.js';

function sink(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const lines = () =>
    chunks
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const { time: _time, ...rest } = JSON.parse(l) as Record<string, unknown>;
        return rest;
      });
  return { stream, lines };
}

describe('request loggers', () => {
  it('write the same lines as a pino child, and make no child for levels the server does not log', () => {
    const lazy = sink();
    const eager = sink();
    const parent = pino({ level: 'warn' }, lazy.stream);
    const reference = pino({ level: 'warn' }, eager.stream).child({ reqId: 'r-1' }, {});
    const child = vi.spyOn(parent, 'child');
    const log = lazyChildLogger(parent, { reqId: 'r-1' }, {});
    log.info({ req: 'x' }, 'incoming request');
    log.debug('details');
    expect(child).not.toHaveBeenCalled();
    for (const l of [log, reference]) {
      l.warn({ n: 1 }, 'careful');
      l.error(new Error('broken'), 'failed');
      l.fatal('over %s', 'now');
    }
    expect(child).toHaveBeenCalledTimes(1);
    expect(lazy.lines()).toEqual(eager.lines());
    expect(lazy.lines()).toHaveLength(3);
    expect(lazy.lines().every((l) => l.reqId === 'r-1')).toBe(true);
    expect(log.level).toBe('warn');
    expect(log.child({ part: 'a' }).level).toBe('warn');
  });

  it('log each request with its id at info level, and nothing per request at warn', async () => {
    const t = await newTestVexil();
    try {
      for (const level of ['info', 'warn'] as const) {
        const out = sink();
        const app = await createServer({ vexil: t.vexil, logger: { level, stream: out.stream } });
        const response = await app.inject({ method: 'GET', url: '/healthz' });
        await app.close();
        const id = response.headers['x-request-id'];
        const perRequest = out.lines().filter((l) => l.reqId === id);
        if (level === 'info') {
          expect(perRequest.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
        } else {
          expect(perRequest).toEqual([]);
        }
      }
    } finally {
      await t.dispose();
    }
  });
});
