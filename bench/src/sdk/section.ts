import type { BenchSection, RunOptions } from '../section.js';
import { formatNs, textTable } from '../stats.js';
import { CHUNK, measureOverhead, PROCESSES } from './overhead.js';
import { measureUpdateLatency } from './update-latency.js';

const DEFAULT_SAMPLES = 21;
const SAMPLE_MS = 30;
/** The target for `getBoolean` over `evaluate`. */
const TARGET_OVERHEAD = 0.2;

/** The SDK benchmark (issue 4 §6): `getBoolean` overhead over @vexil/core, and admin write → `update` latency. */
export const sdkSection: BenchSection = {
  name: 'sdk',
  description: '@vexil/sdk getBoolean overhead over @vexil/core; admin write → SDK update latency',
  async run(options: RunOptions) {
    const samples = options.samples ?? DEFAULT_SAMPLES;
    console.log(
      `getBoolean vs evaluate: median CPU time of ${samples} interleaved samples of ~${SAMPLE_MS} ms, 10 000 contexts,\n` +
        `in chunks of ${CHUNK} evaluations; every exposure after the first pass is a duplicate (the steady state);\n` +
        `each configuration in ${PROCESSES} processes of its own, taking the samples in turn\n`,
    );
    const rows = await measureOverhead(samples, SAMPLE_MS);
    const over = (sdk: number, core: number) => (sdk - core) / core;
    const pct = (ratio: number) => `${(ratio * 100).toFixed(1)} %`;
    console.log(
      textTable([
        [
          '',
          'core',
          'exposures off',
          '',
          'exposures on (default)',
          '',
          'drain',
          'on + drain',
          '',
          'no pause',
          '',
        ],
        [
          'scenario',
          'evaluate',
          'getBoolean',
          'overhead',
          'getBoolean',
          'overhead',
          'per eval',
          'per eval',
          'overhead',
          'getBoolean',
          'overhead',
        ],
        ...rows.map((r) => [
          r.scenario,
          formatNs(r.core),
          formatNs(r.off),
          pct(over(r.off, r.core)),
          formatNs(r.on),
          pct(over(r.on, r.core)),
          formatNs(r.drain),
          formatNs(r.on + r.drain),
          pct(over(r.on + r.drain, r.core)),
          formatNs(r.tight),
          pct(over(r.tight, r.core)),
        ]),
      ]),
    );
    const verdict = (name: string, pick: (r: (typeof rows)[number]) => number) => {
      const worst = Math.max(...rows.map((r) => over(pick(r), r.core)));
      return `${name}: ${worst <= TARGET_OVERHEAD ? 'met' : 'NOT met'} (worst ${pct(worst)})`;
    };
    console.log(
      `\ntarget: getBoolean ≤ ${TARGET_OVERHEAD * 100} % over evaluate — ${verdict('exposures off', (r) => r.off)}; ${verdict('exposures on', (r) => r.on)}`,
    );
    console.log(
      [
        '"getBoolean": CPU time inside the calls. With exposures on, a call appends the result and the context key',
        'to the exposure ring; the ring is drained between chunks (as the client does on its timer, or when the ring',
        'is half full, off the call). "drain": deduplicating, building events and journaling, per evaluation, timed',
        'apart. "no pause": one loop that never yields, so the ring fills and is drained inside getBoolean.',
        '"per request": a new context object per request (as a server builds one), evaluated for S1, S2 (getString)',
        'and S3 in a row — figures per evaluation.\n',
      ].join('\n'),
    );
    await measureUpdateLatency();
  },
};
