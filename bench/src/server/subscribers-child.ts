/**
 * SSE subscribers for the propagation benchmark, in a process of their own: opens N streams
 * on `GET /api/v1/sdk/stream`, applies every patch to each stream's own copy of the flags
 * (checking `previousVersion`, as an SDK does) and reports on stdout, per version, when the
 * last of its streams applied it (`process.hrtime`, the machine's monotonic clock, so the
 * parent can compare it with its own).
 * Streams use a lean SSE client (`sse-client.ts`): the measure is the server's and the
 * subscribers' own work (parse, check, apply), not Node's HTTP client machinery.
 * Usage: subscribers-child <url> <key> <count>
 */
import { openSse } from './sse-client.js';

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
  for (const k in patch.flags) {
    const flag = patch.flags[k];
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
  openSse(
    `${url}/api/v1/sdk/stream`,
    { Authorization: `Bearer ${key}` },
    {
      onEvent: (event, data) => onEvent(held, event, data),
      onError: (message) => report({ type: 'error', message }),
    },
  );
}

// Open in small batches, so the server isn't asked for a thousand snapshots in the same instant.
let opened = 0;
const timer = setInterval(() => {
  for (let i = 0; i < 50 && opened < count; i++, opened++) open();
  if (opened >= count) clearInterval(timer);
}, 20);
