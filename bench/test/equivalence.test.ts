import { evaluate } from '@vexil/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreAdapter } from '../src/core/adapter.js';
import { buildContexts, expectedBranch } from '../src/core/contexts.js';
import { createFlagdAdapter } from '../src/core/peers/flagd.js';
import { createGrowthbookAdapter } from '../src/core/peers/growthbook.js';
import { createLaunchdarklyAdapter } from '../src/core/peers/launchdarkly.js';
import { createUnleashAdapter } from '../src/core/peers/unleash.js';
import { singleFlagSet } from '../src/core/scenarios.js';
import { BRANCH_VARIANT, S2_KEY } from '../src/core/spec.js';
import { createVexilAdapter } from '../src/core/vexil.js';

// No timing here: these tests pin that every implementation is configured to mean the same thing.
const contexts = buildContexts(600);
const ruleContexts = contexts
  .map((c, i) => ({ i, branch: expectedBranch(c) }))
  .filter((c) => c.branch !== 'rollout');

describe('the context pool', () => {
  it('takes every branch of S2, including contexts that match more than one rule', () => {
    const pool = buildContexts();
    const branches = pool.map(expectedBranch);
    for (const branch of ['country', 'enterprise', 'email', 'rollout'] as const)
      expect(branches.filter((b) => b === branch).length).toBeGreaterThan(pool.length / 20);
    const overlapping = pool.filter(
      (c) => expectedBranch(c) === 'country' && c.email?.endsWith('@example.com') === true,
    );
    expect(overlapping.length).toBeGreaterThan(0);
  });

  it('is the same on every run', () => {
    expect(buildContexts(50)).toEqual(buildContexts(50));
  });
});

describe('Vexil', () => {
  it('takes the branch the reference classifier expects, naming the matched rule', () => {
    const set = singleFlagSet();
    for (const ctx of contexts) {
      const result = evaluate(set, S2_KEY, ctx, { defaultValue: '' });
      const branch = expectedBranch(ctx);
      if (branch === 'rollout') {
        expect(result.reason).toBe('SPLIT');
        expect(['a', 'b']).toContain(result.value);
      } else {
        expect(result).toMatchObject({
          reason: 'TARGETING_MATCH',
          ruleId: branch,
          value: BRANCH_VARIANT[branch],
        });
      }
    }
  });
});

const peers = [
  ['flagd-core', createFlagdAdapter],
  ['growthbook', createGrowthbookAdapter],
  ['unleash', createUnleashAdapter],
  ['launchdarkly', createLaunchdarklyAdapter],
] as const;

describe.each(peers)('the %s adapter', (_name, create) => {
  let vexil: CoreAdapter;
  let peer: CoreAdapter;
  beforeAll(async () => {
    vexil = await createVexilAdapter(contexts);
    peer = await create(contexts);
  });
  afterAll(async () => {
    await peer?.close();
    await vexil?.close();
  });

  it("serves Vexil's S2 variant for every context a rule matches", async () => {
    for (const { i } of ruleContexts) expect(await peer.s2(i)).toBe(await vexil.s2(i));
  });

  it('serves only a or b, close to 50/50, to contexts no rule matches', async () => {
    const served: string[] = [];
    for (let i = 0; i < contexts.length; i++)
      if (expectedBranch(contexts[i]!) === 'rollout') served.push(await peer.s2(i));
    expect(new Set(served)).toEqual(new Set(['a', 'b']));
    expect(served.filter((v) => v === 'b').length / served.length).toBeCloseTo(0.5, 1);
  });

  it('serves S1 on for everyone and S3 on for about a quarter', async () => {
    let s3 = 0;
    for (let i = 0; i < contexts.length; i++) {
      expect(await peer.s1(i)).toBe(true);
      if (await peer.s3(i)) s3++;
    }
    expect(s3 / contexts.length).toBeGreaterThan(0.18);
    expect(s3 / contexts.length).toBeLessThan(0.32);
  });

  it("evaluates all 200 S4 flags, with Vexil's variant wherever a rule matches", async () => {
    for (const { i, branch } of ruleContexts.slice(0, 20)) {
      const all = await peer.s4(i);
      expect(Object.keys(all)).toHaveLength(200);
      expect(new Set(Object.values(all))).toEqual(
        new Set([BRANCH_VARIANT[branch as keyof typeof BRANCH_VARIANT]]),
      );
      expect(all).toEqual(await vexil.s4(i));
    }
  });
});
