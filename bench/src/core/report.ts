import { formatNs, formatRatio, type Summary, textTable } from '../stats.js';
import type { CoreAdapter, ScenarioId } from './adapter.js';
import { type BranchCounts, problems, rolloutShare, type Tally } from './checksums.js';

export const SCENARIO_LABELS: Record<ScenarioId, string> = {
  S1: 'S1 boolean on',
  S2: 'S2 3 rules + 50/50',
  S3: 'S3 25 % rollout',
  S4: 'S4 all 200 flags',
};

/** The targets: Vexil at least this many times faster than the fastest peer. */
const TARGET_RATIO = 5;
const TARGET_SCENARIOS: readonly ScenarioId[] = ['S2', 'S3', 'S4'];

const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

function branchCells(counts: BranchCounts): string[] {
  const a = counts.rollout.a ?? 0;
  const b = counts.rollout.b ?? 0;
  return [
    String(counts.country.a ?? 0),
    String(counts.enterprise.b ?? 0),
    String(counts.email.c ?? 0),
    `${a} / ${b} (b ${pct(rolloutShare(counts))})`,
  ];
}

/** Prints the checksums; returns whether every implementation served what the scenarios mean. */
export function printChecksums(tallies: readonly { name: string; tally: Tally }[]): boolean {
  const first = tallies[0]?.tally;
  if (first === undefined) return true;
  console.log(
    `\nChecksums (untimed; S1–S3 over ${first.contexts} contexts, S4 over ${first.s4Contexts} contexts × 200 flags).`,
  );
  console.log('Rule-branch counts must be identical in every row; rollouts ≈ 50 % b, S3 ≈ 25 % on.\n');
  const header = ['', 'S1 on', 'S3 on', 'S2 country→a', 'enterprise→b', 'email→c', 'rollout a / b'];
  const rows: string[][] = [header];
  for (const { name, tally } of tallies) {
    rows.push([
      name,
      String(tally.s1On),
      `${tally.s3On} (${pct(tally.s3On / tally.contexts)})`,
      ...branchCells(tally.s2),
    ]);
  }
  for (const { name, tally } of tallies) rows.push([`${name} S4`, '', '', ...branchCells(tally.s4)]);
  console.log(textTable(rows));
  let ok = true;
  for (const { name, tally } of tallies) {
    for (const problem of problems(tally)) {
      ok = false;
      console.log(`✗ ${name}: ${problem}`);
    }
  }
  if (ok) console.log('✓ every implementation serves the same rule branches and plausible splits');
  return ok;
}

/** Rows of medians per scenario and implementation, each peer with its time ÷ Vexil's. */
function timingRows(
  adapters: readonly CoreAdapter[],
  scenarios: readonly ScenarioId[],
  results: ReadonlyMap<string, Summary>,
): string[][] {
  const rows: string[][] = [['', ...adapters.map((a) => (a.async ? `${a.name} (async)` : a.name))]];
  for (const s of scenarios) {
    const vexil = results.get(`vexil/${s}`)?.median;
    rows.push([
      SCENARIO_LABELS[s],
      ...adapters.map((a) => {
        const m = results.get(`${a.name}/${s}`)?.median ?? Number.NaN;
        const ratio = a.name === 'vexil' || vexil === undefined ? '' : ` (${formatRatio(m / vexil)})`;
        return `${formatNs(m)}${ratio}`;
      }),
    ]);
  }
  return rows;
}

/**
 * Prints the timings: medians in CPU time (the headline: steady on a shared machine),
 * their spread, the wall-clock medians, and how far Vexil is ahead of the fastest peer.
 */
export function printTimings(
  adapters: readonly CoreAdapter[],
  scenarios: readonly ScenarioId[],
  cpu: ReadonlyMap<string, Summary>,
  wall: ReadonlyMap<string, Summary>,
  header: string,
): void {
  console.log(`\n${header}`);
  console.log('S1–S3: time per evaluation; S4: time per 200-flag call. (×) = peer time ÷ Vexil time.');
  console.log(
    '\nCPU time of the process (user + system; other programs on the machine do not count, the GC threads do):\n',
  );
  console.log(textTable(timingRows(adapters, scenarios, cpu)));
  const spread: string[][] = [['IQR ÷ median', ...adapters.map((a) => a.name)]];
  for (const s of scenarios) {
    spread.push([
      s,
      ...adapters.map((a) => {
        const r = cpu.get(`${a.name}/${s}`);
        return r === undefined ? '—' : pct((r.p75 - r.p25) / r.median);
      }),
    ]);
  }
  console.log(`\nSpread of the CPU-time samples:\n${textTable(spread)}`);
  console.log('\nWall-clock time:\n');
  console.log(textTable(timingRows(adapters, scenarios, wall)));
  const peers = adapters.filter((a) => a.name !== 'vexil');
  if (peers.length === 0 || !adapters.some((a) => a.name === 'vexil')) return;
  console.log(
    `\nTarget: Vexil ≥ ${TARGET_RATIO}× faster than the fastest peer on ${TARGET_SCENARIOS.join(', ')} (CPU time)`,
  );
  for (const s of scenarios) {
    const vexil = cpu.get(`vexil/${s}`)?.median;
    if (vexil === undefined) continue;
    const fastest = peers
      .map((p) => ({ name: p.name, ns: cpu.get(`${p.name}/${s}`)?.median ?? Number.POSITIVE_INFINITY }))
      .sort((x, y) => x.ns - y.ns)[0]!;
    const ratio = fastest.ns / vexil;
    const mark = TARGET_SCENARIOS.includes(s) ? (ratio >= TARGET_RATIO ? ' ✓' : ' ✗ below target') : '';
    console.log(
      `  ${s}: fastest peer ${fastest.name} ${formatNs(fastest.ns)}, Vexil ${formatNs(vexil)} → ${formatRatio(ratio)}${mark}`,
    );
  }
}

function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  if (Math.abs(bytes) < 1) return `${bytes.toFixed(1)} B`;
  if (bytes < 10_000) return `${Math.round(bytes)} B`;
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** Prints bytes allocated per evaluation (S4: per call). */
export function printAllocation(
  adapters: readonly CoreAdapter[],
  scenarios: readonly ScenarioId[],
  bytes: ReadonlyMap<string, number | undefined>,
): void {
  console.log(
    '\nJS heap allocated per evaluation (S4: per call): heap growth plus what GCs freed meanwhile, median of 5 runs.\n',
  );
  const rows: string[][] = [['', ...scenarios]];
  for (const a of adapters)
    rows.push([a.name, ...scenarios.map((s) => formatBytes(bytes.get(`${a.name}/${s}`)))]);
  console.log(textTable(rows));
}

/** Prints which call was measured for each implementation, and how async calls were treated. */
export function printNotes(adapters: readonly CoreAdapter[], awaitNs: number | undefined): void {
  console.log('\nCalls measured:');
  for (const a of adapters) {
    console.log(`  ${a.name}:`);
    for (const [s, api] of Object.entries(a.api)) console.log(`    ${s} ${api}`);
  }
  const async = adapters.filter((a) => a.async).map((a) => a.name);
  if (async.length > 0 && awaitNs !== undefined) {
    console.log(
      `\n${async.join(', ')}: the API returns promises only, so each call is awaited before the next (as a request` +
        ` handler does). Calling an async function that returns at once and awaiting it costs ${formatNs(awaitNs)}` +
        ' here; that much of its figure is the price of the promise API, not of its evaluator.',
    );
  }
}
