// Records exposures, then ends abruptly (SIGKILL or process.exit) without flushing:
// what survives is what the SDK had journaled by then. Prints progress lines to stdout.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { EXPOSURE_RING_SIZE } from '../../src/events/exposure-ring.js';
import { createClient, silentLogger } from '../../src/index.js';

const [url, dir, scenario] = process.argv.slice(2) as [string, string, string];
const client = createClient({
  url,
  sdkKey: 'vx_server_test',
  source: 'poll',
  pollInterval: 3_600_000,
  logger: silentLogger,
  cache: false,
  retry: { initialDelay: 5, maxDelay: 10 },
  events: { persist: dir, flushInterval: 50 }, // drains every 50 ms
});
await client.waitForReady({ timeout: 20_000 });

const evaluate = (prefix: string, count: number) => {
  for (let i = 0; i < count; i++)
    client.getBoolean('new-checkout', false, { targetingKey: `${prefix}-${i}` });
};

/** Exposure lines in the journal (read from the files: asking the client would drain its ring). */
function journaled(): number {
  let lines = 0;
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) for (const name of readdirSync(p)) walk(path.join(p, name));
    else lines += readFileSync(p, 'utf8').split('"kind":"exposure"').length - 1;
  };
  walk(dir);
  return lines;
}

if (scenario === 'drained-then-kill') {
  // A: recorded, then given time for the drain timer to journal them.
  evaluate('a', 100);
  while (journaled() < 100) await new Promise((resolve) => setTimeout(resolve, 10));
  process.stdout.write('a journaled\n');
  // B: recorded in the same synchronous run as the kill; no drain can happen in between.
  evaluate('b', 100);
  process.kill(process.pid, 'SIGKILL');
} else if (scenario === 'full-ring-then-kill') {
  // A loop that never yields: the ring fills and is drained on the spot, then the kill.
  evaluate('c', EXPOSURE_RING_SIZE + 10);
  process.kill(process.pid, 'SIGKILL');
} else if (scenario === 'exit') {
  evaluate('d', 100);
  process.exit(0); // the exit hook journals them
}
