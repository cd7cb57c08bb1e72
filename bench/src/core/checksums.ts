import type { CoreAdapter } from './adapter.js';
import { type BenchContext, expectedBranch } from './contexts.js';
import { BRANCH_VARIANT, type S2Branch, S3_ON_PERCENT } from './spec.js';

/** Branch → variant served → count. */
export type BranchCounts = Record<S2Branch, Record<string, number>>;

/** What an implementation served over the pool: the per-scenario checksums. */
export interface Tally {
  readonly contexts: number;
  readonly s1On: number;
  readonly s2: BranchCounts;
  readonly s3On: number;
  /** S4 over the first `s4Contexts` contexts, all 200 flags pooled. */
  readonly s4: BranchCounts;
  readonly s4Contexts: number;
}

const emptyCounts = (): BranchCounts => ({ country: {}, enterprise: {}, email: {}, rollout: {} });

/** Evaluates every scenario once per context (S4 on the first `s4Contexts`), outside any timing. */
export async function tally(
  adapter: CoreAdapter,
  contexts: readonly BenchContext[],
  s4Contexts = 500,
): Promise<Tally> {
  let s1On = 0;
  let s3On = 0;
  const s2 = emptyCounts();
  const s4 = emptyCounts();
  for (let i = 0; i < contexts.length; i++) {
    const branch = expectedBranch(contexts[i]!);
    if ((await adapter.s1(i)) === true) s1On++;
    if ((await adapter.s3(i)) === true) s3On++;
    add(s2[branch], await adapter.s2(i));
    if (i < s4Contexts) for (const variant of Object.values(await adapter.s4(i))) add(s4[branch], variant);
  }
  return { contexts: contexts.length, s1On, s2, s3On, s4, s4Contexts: Math.min(s4Contexts, contexts.length) };
}

function add(counts: Record<string, number>, variant: string): void {
  counts[variant] = (counts[variant] ?? 0) + 1;
}

/** Share of `b` among the rollout branch's a/b answers. */
export function rolloutShare(counts: BranchCounts): number {
  const a = counts.rollout.a ?? 0;
  const b = counts.rollout.b ?? 0;
  return b / (a + b);
}

/**
 * What is wrong with a tally: rule branches must serve exactly their variant (so their
 * counts are identical across implementations), S1 must always be on, the rollouts must
 * serve only a/b close to 50/50, and S3 must be on for close to 25 %.
 */
export function problems(t: Tally): string[] {
  const found: string[] = [];
  if (t.s1On !== t.contexts) found.push(`S1 on for ${t.s1On} of ${t.contexts} contexts`);
  const s3Share = t.s3On / t.contexts;
  if (Math.abs(s3Share * 100 - S3_ON_PERCENT) > 3)
    found.push(`S3 on for ${(s3Share * 100).toFixed(1)} %, expected about ${S3_ON_PERCENT} %`);
  for (const [name, counts] of [
    ['S2', t.s2],
    ['S4', t.s4],
  ] as const) {
    for (const branch of ['country', 'enterprise', 'email'] as const) {
      const wrong = Object.entries(counts[branch]).filter(([variant]) => variant !== BRANCH_VARIANT[branch]);
      if (wrong.length > 0)
        found.push(`${name} ${branch} branch served ${JSON.stringify(Object.fromEntries(wrong))}`);
    }
    const other = Object.keys(counts.rollout).filter((v) => v !== 'a' && v !== 'b');
    if (other.length > 0) found.push(`${name} rollout served ${other.join(', ')}`);
    const share = rolloutShare(counts);
    if (!(Math.abs(share - 0.5) <= 0.05))
      found.push(`${name} rollout gave b to ${(share * 100).toFixed(1)} %`);
  }
  return found;
}
