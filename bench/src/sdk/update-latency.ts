/**
 * Admin write → SDK `update` event, p50/p99, against a real Vexil server. Waits for the
 * server's delivery endpoints (snapshot/stream) to exist; until then it says so.
 */
export async function measureUpdateLatency(): Promise<void> {
  console.log('admin write → update latency: not measured yet (the server has no SDK stream endpoint yet)');
}
