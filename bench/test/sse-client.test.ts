import { describe, expect, it } from 'vitest';
import { SseDecoder } from '../src/server/sse-client.js';

function decoder() {
  const events: [string, string][] = [];
  const errors: string[] = [];
  const d = new SseDecoder({ onEvent: (e, data) => events.push([e, data]), onError: (m) => errors.push(m) });
  return { d, events, errors };
}

const HEAD = 'HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n';
const chunk = (text: string) => `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
const STREAM =
  HEAD +
  chunk('retry: 2000\n\n') +
  chunk('id: 3\nevent: snapshot\ndata: {"version":3,"name":"café ☕"}\n\n') +
  chunk('id: 4\nevent: patch\ndata: {"version":4}\n\nevent: heartbeat\ndata: {"version":4}\n\n') +
  chunk('data: first\ndata: second\n\n');
const EXPECTED = [
  ['snapshot', '{"version":3,"name":"café ☕"}'],
  ['patch', '{"version":4}'],
  ['heartbeat', '{"version":4}'],
  ['message', 'first\nsecond'],
];

describe('the benchmark SSE decoder', () => {
  it('hands over every event of a chunked stream, with its type and its data lines joined', () => {
    const { d, events, errors } = decoder();
    d.push(Buffer.from(STREAM));
    expect(events).toEqual(EXPECTED);
    expect(errors).toEqual([]);
  });

  it('decodes the same events whatever the pieces the bytes arrive in, even when the caller reuses its buffer', () => {
    const bytes = Buffer.from(STREAM);
    for (const size of [1, 2, 3, 5, 7, 16, 61, 100]) {
      const { d, events } = decoder();
      const reused = Buffer.alloc(size);
      for (let at = 0; at < bytes.length; at += size) {
        const n = bytes.copy(reused, 0, at, at + size);
        d.push(reused.subarray(0, n));
        reused.fill(0);
      }
      expect(events, `pieces of ${size}`).toEqual(EXPECTED);
    }
  });

  it('reads a stream that is not chunked (HTTP/1.0)', () => {
    const { d, events } = decoder();
    d.push(
      Buffer.from('HTTP/1.0 200 OK\r\nContent-Type: text/event-stream\r\n\r\nevent: patch\ndata: {}\n\n'),
    );
    expect(events).toEqual([['patch', '{}']]);
  });

  it('reports a refused stream and the end of a chunked body, once', () => {
    const refused = decoder();
    refused.d.push(Buffer.from('HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n'));
    refused.d.push(Buffer.from('more'));
    expect(refused.errors).toEqual(['stream answered 401']);
    const ended = decoder();
    ended.d.push(Buffer.from(`${HEAD}${chunk('event: patch\ndata: {}\n\n')}0\r\n\r\n`));
    expect(ended.events).toEqual([['patch', '{}']]);
    expect(ended.errors).toEqual(['a stream ended']);
  });
});
