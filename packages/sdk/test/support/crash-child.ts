// Tracks events, then dies with SIGKILL before they can be flushed: nothing gets a chance to clean up.
import { createClient, silentLogger } from '../../src/index.js';

const [url, dir, count, batchSize, key = 'vx_server_test', name = 'purchase'] = process.argv.slice(2);
// When a full batch is due, crash only after the server answered (or failed to answer) one delivery.
const expectAttempt = Number(count) >= Number(batchSize);
let attempted = false;
const client = createClient({
  url: url!,
  sdkKey: key,
  source: 'poll',
  pollInterval: 3_600_000,
  logger: {
    ...silentLogger,
    debug: (message: string) => {
      if (message.includes('not delivered')) attempted = true;
    },
  },
  cache: false,
  retry: { initialDelay: 5, maxDelay: 10 },
  events: { persist: dir!, flushInterval: 3_600_000, batchSize: Number(batchSize) },
});
for (let i = 0; i < Number(count); i++) client.track(name, { targetingKey: `user-${i}` }, i);
// Let batches be formed and sent (to a server that loses the answers or is down), then crash.
const started = Date.now();
const timer = setInterval(() => {
  if (Date.now() - started < 300 || (expectAttempt && !attempted && Date.now() - started < 20_000)) return;
  clearInterval(timer);
  process.stdout.write(`${JSON.stringify(client.eventStats())}\n`);
  process.kill(process.pid, 'SIGKILL');
}, 20);
