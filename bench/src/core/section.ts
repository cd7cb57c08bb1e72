import { cpus } from 'node:os';
import type { BenchSection, RunOptions } from '../section.js';
import { type Summary, summarize } from '../stats.js';
import { versionOf } from '../versions.js';
import { type CoreAdapter, type Loop, SCENARIOS, type ScenarioId } from './adapter.js';
import { type Tally, tally } from './checksums.js';
import { type BenchContext, buildContexts } from './contexts.js';
import { bytesPerEvaluation, calibrate, timeRun } from './measure.js';
import { createFlagdAdapter } from './peers/flagd.js';
import { createGrowthbookAdapter } from './peers/growthbook.js';
import { createLaunchdarklyAdapter } from './peers/launchdarkly.js';
import { createUnleashAdapter } from './peers/unleash.js';
import { printAllocation, printChecksums, printNotes, printTimings } from './report.js';
import { createVexilAdapter } from './vexil.js';

const IMPLEMENTATIONS: readonly {
  name: string;
  pkg: string;
  create: (contexts: readonly BenchContext[]) => Promise<CoreAdapter>;
}[] = [
  { name: 'vexil', pkg: '@vexil/core', create: createVexilAdapter },
  { name: 'flagd-core', pkg: '@openfeature/flagd-core', create: createFlagdAdapter },
  { name: 'growthbook', pkg: '@growthbook/growthbook', create: createGrowthbookAdapter },
  { name: 'unleash', pkg: 'unleash-client', create: createUnleashAdapter },
  { name: 'launchdarkly', pkg: '@launchdarkly/node-server-sdk', create: createLaunchdarklyAdapter },
];

const DEFAULT_SAMPLES = 21;
/** Wall time of one sample. */
const SAMPLE_MS = 30;

/** The core benchmark (issue 2 §4): S1–S4 in Vexil and four peers, same process, interleaved. */
export const coreSection: BenchSection = {
  name: 'core',
  description: 'flag evaluation in @vexil/core vs unleash-client, GrowthBook, flagd-core, LaunchDarkly',
  async run(options: RunOptions) {
    const samples = options.samples ?? DEFAULT_SAMPLES;
    const scenarios = SCENARIOS.filter(
      (s) => options.scenarios.length === 0 || options.scenarios.includes(s),
    );
    const chosen = IMPLEMENTATIONS.filter(
      (i) => options.impls.length === 0 || options.impls.includes(i.name),
    );
    const unknown = [
      ...options.impls.filter((name) => !IMPLEMENTATIONS.some((i) => i.name === name)),
      ...options.scenarios.filter((s) => !(SCENARIOS as readonly string[]).includes(s)),
    ];
    if (unknown.length > 0) {
      console.error(
        `unknown ${unknown.join(', ')}; implementations: ${IMPLEMENTATIONS.map((i) => i.name).join(', ')}; scenarios: ${SCENARIOS.join(', ')}`,
      );
      process.exitCode = 2;
      return;
    }
    printEnvironment(chosen, samples);

    const contexts = buildContexts();
    const adapters: CoreAdapter[] = [];
    for (const impl of chosen) adapters.push(await impl.create(contexts));
    try {
      const tallies: { name: string; tally: Tally }[] = [];
      for (const a of adapters) tallies.push({ name: a.name, tally: await tally(a, contexts) });
      if (!printChecksums(tallies)) process.exitCode = 1;

      const { cpu, wall, sizes } = await measureAll(adapters, scenarios, samples);
      printTimings(
        adapters,
        scenarios,
        cpu,
        wall,
        `Core evaluation — median of ${samples} interleaved samples of ~${SAMPLE_MS} ms each`,
      );

      const bytes = new Map<string, number>();
      for (const a of adapters)
        for (const s of scenarios)
          bytes.set(`${a.name}/${s}`, await bytesPerEvaluation(a.loops[s], sizes.get(`${a.name}/${s}`)!));
      printAllocation(adapters, scenarios, bytes);
      printNotes(adapters, adapters.some((a) => a.async) ? await awaitCost() : undefined);
    } finally {
      for (const a of adapters) await a.close();
    }
  },
};

function printEnvironment(chosen: readonly { name: string; pkg: string }[], samples: number): void {
  const cpu = cpus();
  console.log(
    `Node ${process.version} (V8 ${process.versions.v8}), ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length}`,
  );
  console.log(`NODE_ENV=${process.env.NODE_ENV ?? ''} · ${samples} samples per cell`);
  console.log(chosen.map((i) => `${i.pkg}@${versionOf(i.pkg)}`).join(' · '));
}

/**
 * Warms up and sizes each (implementation, scenario) loop, then takes the samples
 * round-robin: in each round every scenario is sampled in every implementation, the
 * implementations in a rotated order, each sample starting further along the pool.
 */
async function measureAll(
  adapters: readonly CoreAdapter[],
  scenarios: readonly ScenarioId[],
  samples: number,
): Promise<{ cpu: Map<string, Summary>; wall: Map<string, Summary>; sizes: Map<string, number> }> {
  const sizes = new Map<string, number>();
  for (const s of scenarios) {
    for (const a of adapters) {
      const loop: Loop = a.loops[s];
      const n = await calibrate(loop, SAMPLE_MS);
      for (let w = 0; w < 2; w++) await timeRun(loop, w * n, n);
      sizes.set(`${a.name}/${s}`, n);
    }
  }
  const cpu = new Map<string, number[]>();
  const wall = new Map<string, number[]>();
  for (let round = 0; round < samples; round++) {
    for (const s of scenarios) {
      for (let k = 0; k < adapters.length; k++) {
        const a = adapters[(k + round) % adapters.length]!;
        const id = `${a.name}/${s}`;
        const n = sizes.get(id)!;
        const timing = await timeRun(a.loops[s], round * 7919, n);
        cpu.set(id, [...(cpu.get(id) ?? []), timing.cpuNs]);
        wall.set(id, [...(wall.get(id) ?? []), timing.wallNs]);
      }
    }
  }
  const summaries = (samples: Map<string, number[]>) =>
    new Map([...samples].map(([id, values]) => [id, summarize(values)]));
  return { cpu: summaries(cpu), wall: summaries(wall), sizes };
}

/** What awaiting an async function that returns at once costs (the floor under any promise API). */
async function awaitCost(): Promise<number> {
  const immediate = async (i: number) => i;
  const loop: Loop = async (from, n) => {
    let sink = 0;
    for (let k = 0; k < n; k++) sink += await immediate(from + k);
    return sink;
  };
  const n = await calibrate(loop, SAMPLE_MS);
  const values: number[] = [];
  for (let r = 0; r < 7; r++) values.push((await timeRun(loop, 0, n)).cpuNs);
  return summarize(values).median;
}
