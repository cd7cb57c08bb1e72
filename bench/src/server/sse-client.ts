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
const LF = 0x0a;
const EVENT = Buffer.from('event: ');
const DATA = Buffer.from('data: ');

/**
 * Decodes one HTTP/1.1 event-stream response from its bytes, in pieces as they arrive: the
 * head once (status, chunked or not), then chunked transfer decoding and SSE framing on
 * Buffers; each event's data is decoded to text once and handed over. The pieces given to
 * `push` may be reused by the caller once it returns: whatever is left unfinished is copied.
 */
export class SseDecoder {
  private head = true;
  private chunked = false;
  private raw: Buffer = EMPTY; // transport bytes not yet decoded
  private body: Buffer = EMPTY; // decoded event-stream bytes not yet dispatched
  private dataLeft = 0; // of the current chunk
  private crlfLeft = 0; // after the current chunk's data
  private failed = false;

  constructor(private readonly handlers: SseHandlers) {}

  /** Takes the next bytes of the response. */
  push(piece: Buffer): void {
    if (this.failed) return;
    let raw = this.raw.length === 0 ? piece : Buffer.concat([this.raw, piece]);
    if (this.head) {
      const end = raw.indexOf(HEAD_END);
      if (end < 0) {
        this.raw = Buffer.from(raw);
        return;
      }
      const text = raw.toString('latin1', 0, end);
      const status = Number(text.slice(9, 12));
      if (status !== 200) {
        this.fail(`stream answered ${status}`);
        return;
      }
      this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(text);
      raw = raw.subarray(end + 4);
      this.head = false;
    }
    if (!this.chunked) {
      this.append(raw);
      raw = EMPTY;
    }
    while (this.chunked && raw.length > 0) {
      if (this.dataLeft === 0 && this.crlfLeft === 0) {
        const nl = raw.indexOf(CRLF);
        if (nl < 0) break;
        this.dataLeft = Number.parseInt(raw.toString('latin1', 0, nl), 16);
        if (!(this.dataLeft > 0)) {
          this.dispatch(); // the events before the last chunk
          this.fail('a stream ended');
          return;
        }
        this.crlfLeft = 2;
        raw = raw.subarray(nl + 2);
      }
      const take = Math.min(this.dataLeft, raw.length);
      if (take > 0) this.append(raw.subarray(0, take));
      this.dataLeft -= take;
      const skip = this.dataLeft === 0 ? Math.min(this.crlfLeft, raw.length - take) : 0;
      this.crlfLeft -= skip;
      raw = raw.subarray(take + skip);
    }
    this.dispatch();
    // What is left may be a view of the caller's buffer: keep a copy.
    this.raw = raw.length === 0 ? EMPTY : Buffer.from(raw);
    if (this.body.length > 0) this.body = Buffer.from(this.body);
  }

  /** Stops decoding and reports `message` once. */
  fail(message: string): void {
    if (this.failed) return;
    this.failed = true;
    this.handlers.onError(message);
  }

  private append(part: Buffer): void {
    this.body = this.body.length === 0 ? part : Buffer.concat([this.body, part]);
  }

  /** Hands over every complete event (ended by a blank line) of the decoded bytes. */
  private dispatch(): void {
    const body = this.body;
    let start = 0;
    let end = body.indexOf(BLANK_LINE);
    while (end >= 0) {
      this.event(body, start, end);
      start = end + 2;
      end = body.indexOf(BLANK_LINE, start);
    }
    this.body = start === 0 ? body : body.subarray(start);
  }

  /** One event's lines (`event:` and `data:`; others ignored), between `start` and `end`. */
  private event(bytes: Buffer, start: number, end: number): void {
    let event = 'message';
    let data: string | undefined;
    let at = start;
    while (at < end) {
      let eol = bytes.indexOf(LF, at);
      if (eol < 0 || eol > end) eol = end;
      if (startsWith(bytes, at, eol, DATA)) {
        const line = bytes.toString('utf8', at + DATA.length, eol);
        data = data === undefined ? line : `${data}\n${line}`;
      } else if (startsWith(bytes, at, eol, EVENT)) {
        event = bytes.toString('utf8', at + EVENT.length, eol);
      }
      at = eol + 1;
    }
    if (data !== undefined && data !== '') this.handlers.onEvent(event, data);
  }
}

function startsWith(bytes: Buffer, at: number, end: number, prefix: Buffer): boolean {
  if (end - at < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/**
 * Every stream of the process reads into this one buffer: reads are handled one at a time,
 * and the decoder copies what a read leaves unfinished.
 */
const READ_BUFFER = Buffer.allocUnsafe(256 * 1024);

/**
 * A Server-Sent Events client on a bare TCP socket: HTTP/1.1 GET, then `SseDecoder` — what
 * an EventSource does, without the cost of Node's HTTP client and stream machinery per event
 * (a thousand streams in one process would measure that machinery rather than the server).
 * Reads land in one shared buffer (`onread`): a read that holds whole events allocates
 * nothing but the events' text.
 */
export function openSse(url: string, headers: Readonly<Record<string, string>>, handlers: SseHandlers): void {
  const target = new URL(url);
  const decoder = new SseDecoder({
    onEvent: (event, data) => handlers.onEvent(event, data),
    onError: (message) => {
      handlers.onError(message);
      socket.destroy();
    },
  });
  const socket = connect({
    port: Number(target.port || 80),
    host: target.hostname,
    noDelay: true,
    onread: {
      buffer: READ_BUFFER,
      callback: (bytes: number, buffer: Uint8Array) => {
        decoder.push((buffer as Buffer).subarray(0, bytes));
        return true;
      },
    },
  });
  const lines = [
    `GET ${target.pathname}${target.search} HTTP/1.1`,
    `Host: ${target.host}`,
    'Accept: text/event-stream',
  ];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  socket.on('end', () => decoder.fail('a stream ended'));
  socket.on('error', (error) => decoder.fail(error.message));
}
