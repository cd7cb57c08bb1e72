import type { BenchSection, RunOptions } from '../section.js';
import { formatNs, textTable } from '../stats.js';
import { measureOverhead } from './overhead.js';
import { measureUpdateLatency } from './update-latency.js';

const DEFAULT_SAMPLES = 21;
const SAMPLE_MS = 30;
/** The target for `getBoolean` over `evaluate`. */
const TARGET_OVERHEAD = 0.2;

/** The SDK benchmark (issue 4 §6): `getBoolean` overhead over @vexil/core, and admit-write → `update` latency. */
export const sdkSection: BenchSection = {
  name: 'sdk',
  description: '@vexil/sdk getBoolean overhead over @vexil/core; admin write → SDK update latency',
  async run(options: RunOptions) {
    const samples = options.samples ?? DEFAULT_SAMPLES;
    console.log(
      `getBoolean vs evaluate: median CPU time of ${samples} interleaved samples of ~${SAMPLE_MS} ms, 10 000 contexts\n`,
    );
    const rows = await measureOverhead(samples, SAMPLE_MS);
    const pct = (sdk: number, core: number) => `${(((sdk - core) / core) * 100).toFixed(1)} %`;
    console.log(
      textTable([
        ['scenario', 'core evaluate', 'sdk getBoolean', 'overhead', 'with exposures', 'overhead'],
        ...rows.map((r) => [
          r.scenario,
          formatNs(r.core),
          formatNs(r.sdk),
          pct(r.sdk, r.core),
          formatNs(r.sdkWithExposures),
          pct(r.sdkWithExposures, r.core),
        ]),
      ]),
    );
    const worst = Math.max(...rows.map((r) => (r.sdk - r.core) / r.core));
    console.log(
      `\ntarget: getBoolean ≤ ${TARGET_OVERHEAD * 100} % over evaluate — ${worst <= TARGET_OVERHEAD ? 'met' : 'NOT met'} without events (worst ${(worst * 100).toFixed(1)} %)`,
    );
    console.log('"with exposures": the client as shipped, every exposure deduplicated (the steady state).\n');
    await measureUpdateLatency();
  },
};
