/** What `overhead.ts` and its worker processes share: the configurations, the requests, the chunk size. */

/**
 * One configuration of the overhead benchmark, alone in its process (forked by
 * `overhead.ts`): the core's `evaluate`, or a client without exposures, as shipped, or
 * as shipped in a loop that never yields. Alone, because configurations sharing a process
 * share the SDK's `getBoolean` and the core's `evaluate`: the engine compiles them for
 * whichever configuration ran first and recompiles them, less well, when the next one
 * calls — where an application, with one client, sees one configuration.
 */
export type Kind = 'core' | 'off' | 'on' | 'tight';

/** What the parent asks: sizes a scenario's samples, times one, or ends the process. */
export type WorkerRequest =
  | { cmd: 'calibrate'; scenario: number; sampleMs: number }
  | { cmd: 'run'; scenario: number; from: number; n: number }
  | { cmd: 'close' };

/** The answer to `run`: CPU ns per evaluation in the chunks and between them. */
export interface Timing {
  hits: number;
  /** CPU ns per evaluation spent in the chunks. */
  evaluateNs: number;
  /** CPU ns per evaluation spent between them. */
  betweenNs: number;
}

/** Scenario names, in the order of the `scenario` indexes. */
export const SCENARIOS = ['S1 (flag on)', 'S3 (25 % rollout)', 'S1 S2 S3 per request'] as const;

/**
 * Evaluations between two drains in the chunked loops: half the SDK's exposure ring, where
 * a busy client schedules a drain for the next turn of the event loop — the chunks drain
 * as often as the client does under sustained load, no more (the drain's memory traffic
 * costs the evaluations after it some cache misses).
 */
export const CHUNK = 2048;
