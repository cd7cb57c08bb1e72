import { connect } from 'node:net';

/** What a lean SSE stream reports. */
export interface SseHandlers {
  /** An event: its type (`message` when unnamed) and its data lines joined. */
  onEvent(event: string, data: string): void;
  /** The stream failed, answered a status other than 200, or ended. */
  onError(message: string): void;
}

const EMPTY: Buffer = Buffer.alloc(0);
const HEAD_END = Buffer.from('\r\n\r\n');
const CRLF = Buffer.from('\r\n');
const BLANK_LINE = Buffer.from('\n\n');

/**
 * A Server-Sent Events client on a bare TCP socket: HTTP/1.1 GET, the response head read
 * once, chunked transfer decoding and SSE framing on Buffers, and each event's text decoded
 * and handed over — what an EventSource does, without the cost of Node's HTTP client
 * machinery per event (a thousand streams in one process would measure that machinery
 * rather than the server).
 */
export function openSse(url: string, headers: Readonly<Record<string, string>>, handlers: SseHandlers): void {
  const target = new URL(url);
  const socket = connect(Number(target.port || 80), target.hostname);
  socket.setNoDelay(true);
  const lines = [
    `GET ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    'Accept: text/event-stream',
  ];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  let head = true;
  let chunked = false;
  let raw: Buffer = EMPTY; // transport bytes not yet decoded
  let body: Buffer = EMPTY; // decoded event-stream bytes not yet dispatched
  let dataLeft = 0; // of the current chunk
  let crlfLeft = 0; // after the current chunk's data
  let failed = false;
  const fail = (message: string) => {
    if (failed) return;
    failed = true;
    handlers.onError(message);
    socket.destroy();
  };
  const append = (part: Buffer) => {
    body = body.length === 0 ? part : Buffer.concat([body, part]);
  };
  const dispatch = () => {
    let end = body.indexOf(BLANK_LINE);
    while (end >= 0) {
      const block = body.toString('utf8', 0, end);
      body = body.subarray(end + 2);
      end = body.indexOf(BLANK_LINE);
      let event = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data = data === '' ? line.slice(6) : `${data}\n${line.slice(6)}`;
      }
      if (data !== '') handlers.onEvent(event, data);
    }
  };
  socket.on('data', (chunk: Buffer) => {
    raw = raw.length === 0 ? chunk : Buffer.concat([raw, chunk]);
    if (head) {
      const end = raw.indexOf(HEAD_END);
      if (end < 0) return;
      const text = raw.toString('latin1', 0, end);
      const status = Number(text.slice(9, 12));
      if (status !== 200) return fail(`stream answered ${status}`);
      chunked = /\r\ntransfer-encoding:\s*chunked/i.test(text);
      raw = raw.subarray(end + 4);
      head = false;
    }
    if (!chunked) {
      append(raw);
      raw = EMPTY;
    }
    while (chunked && raw.length > 0) {
      if (dataLeft === 0 && crlfLeft === 0) {
        const nl = raw.indexOf(CRLF);
        if (nl < 0) break;
        dataLeft = Number.parseInt(raw.toString('latin1', 0, nl), 16);
        if (!(dataLeft > 0)) return fail('a stream ended');
        crlfLeft = 2;
        raw = raw.subarray(nl + 2);
      }
      const take = Math.min(dataLeft, raw.length);
      if (take > 0) append(raw.subarray(0, take));
      dataLeft -= take;
      const skip = Math.min(crlfLeft, raw.length - take);
      crlfLeft -= dataLeft === 0 ? skip : 0;
      raw = raw.subarray(take + (dataLeft === 0 ? skip : 0));
    }
    dispatch();
  });
  socket.on('end', () => fail('a stream ended'));
  socket.on('error', (error) => fail(error.message));
}
