import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { type EvaluateOptions, evaluate, type FlagSet } from '@vexil/core';
import { createClient, silentLogger, type VexilClient } from '@vexil/sdk';
import { buildContexts } from '../core/contexts.js';
import { calibrate, timeRun } from '../core/measure.js';
import { singleFlagSet } from '../core/scenarios.js';
import { S1_KEY, S3_KEY } from '../core/spec.js';
import { median } from '../stats.js';

const BOOLEAN: EvaluateOptions<boolean> = { defaultValue: false };

/** One row of the overhead table: CPU ns per evaluation, median of interleaved samples. */
export interface OverheadRow {
  scenario: string;
  core: number;
  sdk: number;
  sdkWithExposures: number;
}

/**
 * `getBoolean` against `evaluate` from @vexil/core on the same flags and contexts, in the
 * same process, samples interleaved. Two SDK clients: one without events (evaluation
 * overhead alone) and one as shipped (exposures recorded and deduplicated; after the
 * first pass over the pool every exposure is a duplicate, which is the steady state).
 */
export async function measureOverhead(samples: number, sampleMs: number): Promise<OverheadRow[]> {
  const set = singleFlagSet();
  const contexts = buildContexts().map((c) => ({ ...c }));
  const size = contexts.length;
  const sink = await startSink(set);
  const journal = mkdtempSync(path.join(tmpdir(), 'vexil-bench-sdk-'));
  const plain = createClient({ source: 'offline', bootstrap: set.definition, logger: silentLogger });
  const shipped = createClient({
    url: sink.url,
    sdkKey: 'vx_server_bench',
    source: 'poll',
    pollInterval: 3_600_000,
    cache: false,
    logger: silentLogger,
    events: { persist: journal, maxQueueSize: 1_000_000 },
  });
  await Promise.all([plain.waitForReady(), shipped.waitForReady()]);
  try {
    const rows: OverheadRow[] = [];
    for (const [scenario, key] of [
      ['S1 (flag on)', S1_KEY],
      ['S3 (25 % rollout)', S3_KEY],
    ] as const) {
      const coreLoop = (from: number, n: number) => {
        let hits = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (evaluate(set, key, contexts[j], BOOLEAN).value) hits++;
        return hits;
      };
      const sdkLoop = (client: VexilClient) => (from: number, n: number) => {
        let hits = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (client.getBoolean(key, false, contexts[j])) hits++;
        return hits;
      };
      const loops = { core: coreLoop, sdk: sdkLoop(plain), sdkWithExposures: sdkLoop(shipped) };
      // Warm up (and, for the shipped client, record the first exposure of every context).
      const n: Record<string, number> = {};
      for (const [name, loop] of Object.entries(loops)) {
        loop(0, size);
        n[name] = await calibrate(loop, sampleMs);
      }
      const times: Record<string, number[]> = { core: [], sdk: [], sdkWithExposures: [] };
      for (let s = 0; s < samples; s++) {
        // CPU time: what the evaluations cost, whoever else shares the machine.
        for (const [name, loop] of Object.entries(loops))
          times[name]!.push((await timeRun(loop, s * 7919, n[name]!)).cpuNs);
      }
      rows.push({
        scenario,
        core: median(times.core!),
        sdk: median(times.sdk!),
        sdkWithExposures: median(times.sdkWithExposures!),
      });
    }
    return rows;
  } finally {
    await Promise.all([plain.close(), shipped.close()]);
    await sink.close();
    rmSync(journal, { recursive: true, force: true });
  }
}

/** A minimal local endpoint for the shipped client: the snapshot, and a 202 for event batches. */
async function startSink(set: FlagSet) {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.startsWith('/api/v1/sdk/snapshot')) {
        res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(set.definition));
      } else {
        res.writeHead(202, { 'Content-Type': 'application/json' }).end('{"accepted":0,"duplicate":false}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
