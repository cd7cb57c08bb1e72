/**
 * SSE subscribers for the propagation benchmark, in a process of their own: opens N streams
 * on `GET /api/v1/sdk/stream`, applies every patch to each stream's own copy of the flags
 * (checking `previousVersion`, as an SDK does) and reports on stdout, per version, when the
 * last of its streams applied it (`process.hrtime`, the machine's monotonic clock, so the
 * parent can compare it with its own).
 * Usage: subscribers-child <url> <key> <count>
 */
import { request } from 'node:http';

const [url, key, countText] = process.argv.slice(2) as [string, string, string];
const count = Number(countText);

interface Held {
  version: number;
  flags: Record<string, unknown>;
}

const parsedSnapshots = new Map<string, Held>();
const applied = new Map<number, number>();
let ready = 0;
let gaps = 0;

function report(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

function onEvent(held: Held, event: string, data: string): void {
  if (event === 'snapshot') {
    // Streams connecting at the same version share one parse of the (large) snapshot, then each keeps its own copy.
    let parsed = parsedSnapshots.get(data.slice(0, 200));
    if (parsed === undefined) {
      const body = JSON.parse(data) as { version: number; flags: Record<string, unknown> };
      parsed = { version: body.version, flags: body.flags };
      parsedSnapshots.set(data.slice(0, 200), parsed);
    }
    held.version = parsed.version;
    held.flags = { ...parsed.flags };
    if (++ready === count) report({ type: 'ready', version: held.version });
    return;
  }
  if (event !== 'patch') return;
  const patch = JSON.parse(data) as {
    version: number;
    previousVersion: number;
    flags: Record<string, unknown>;
  };
  if (patch.previousVersion !== held.version) {
    gaps++;
    return;
  }
  for (const [k, flag] of Object.entries(patch.flags)) {
    if (flag === null) delete held.flags[k];
    else held.flags[k] = flag;
  }
  held.version = patch.version;
  const n = (applied.get(patch.version) ?? 0) + 1;
  applied.set(patch.version, n);
  if (n === count) {
    report({ type: 'applied', version: patch.version, at: process.hrtime.bigint().toString(), gaps });
    applied.delete(patch.version);
  }
}

function open(): void {
  const held: Held = { version: 0, flags: {} };
  const req = request(`${url}/api/v1/sdk/stream`, {
    headers: { authorization: `Bearer ${key}` },
    agent: false,
  });
  req.on('response', (res) => {
    if (res.statusCode !== 200) {
      report({ type: 'error', message: `stream answered ${res.statusCode}` });
      process.exit(1);
    }
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\n\n');
        let event = 'message';
        let data = '';
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) event = line.slice(7);
          else if (line.startsWith('data: ')) data = line.slice(6);
        }
        if (data !== '') onEvent(held, event, data);
      }
    });
    res.on('end', () => report({ type: 'error', message: 'a stream ended' }));
  });
  req.on('error', (error) => report({ type: 'error', message: error.message }));
  req.end();
}

// Open in small batches, so the server isn't asked for a thousand snapshots in the same instant.
let opened = 0;
const timer = setInterval(() => {
  for (let i = 0; i < 50 && opened < count; i++, opened++) open();
  if (opened >= count) clearInterval(timer);
}, 20);
