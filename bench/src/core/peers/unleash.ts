import { once } from 'node:events';
import { type Context, InMemStorageProvider, Unleash, type UnleashConfig } from 'unleash-client';
import type { CoreAdapter } from '../adapter.js';
import type { BenchContext } from '../contexts.js';
import { S1_KEY, S2_KEY, S2_ROLLOUT_PERCENT, S2_RULES, S3_KEY, S3_ON_PERCENT, s4Keys } from '../spec.js';

type Toggle = NonNullable<NonNullable<UnleashConfig['bootstrap']>['data']>[number];
type Strategy = NonNullable<Toggle['strategies']>[number];
type Constraint = Strategy['constraints'][number];

const constraint = (contextName: string, operator: string, values: string[]): Constraint => ({
  contextName,
  operator: operator as Constraint['operator'],
  values,
  inverted: false,
  caseInsensitive: false,
});

/** An always-on strategy with constraints that serves one variant (Unleash's strategy variants). */
const serve = (variant: string, constraints: Constraint[]): Strategy => ({
  name: 'default',
  parameters: {},
  constraints,
  variants: [{ name: variant, weight: 1000, stickiness: 'default' }],
});

/**
 * S2 as an Unleash toggle: strategies are tried in order and the first enabled one
 * serves its strategy variant; the last strategy has no constraints and splits a/b by
 * weight, sticky on `userId` (group id = toggle name, as Unleash's UI sets it).
 */
function s2Toggle(name: string): Toggle {
  const weight = (percent: number) => percent * 10; // Unleash variant weights total 1000
  return {
    name,
    enabled: true,
    strategies: [
      serve('a', [constraint('country', 'IN', [...S2_RULES.countries])]),
      serve('b', [
        constraint('plan', 'IN', [S2_RULES.plan]),
        { ...constraint('seats', 'NUM_GT', []), value: String(S2_RULES.seatsAbove) },
      ]),
      serve('c', [constraint('email', 'STR_ENDS_WITH', [S2_RULES.emailSuffix])]),
      {
        name: 'default',
        parameters: { groupId: name },
        constraints: [],
        variants: [
          { name: 'a', weight: weight(S2_ROLLOUT_PERCENT.a), stickiness: 'default' },
          { name: 'b', weight: weight(S2_ROLLOUT_PERCENT.b), stickiness: 'default' },
        ],
      },
    ],
  };
}

/** The Unleash toggles for S1–S3 and for S4. */
export function unleashToggles(): { single: Toggle[]; many: Toggle[] } {
  return {
    single: [
      { name: S1_KEY, enabled: true, strategies: [{ name: 'default', parameters: {}, constraints: [] }] },
      s2Toggle(S2_KEY),
      {
        name: S3_KEY,
        enabled: true,
        strategies: [
          {
            name: 'flexibleRollout',
            parameters: { rollout: String(S3_ON_PERCENT), stickiness: 'default', groupId: S3_KEY },
            constraints: [],
          },
        ],
      },
    ],
    many: s4Keys().map(s2Toggle),
  };
}

/** An Unleash client bootstrapped from data: no polling (refreshInterval 0), no metrics, in-memory storage. */
async function startOffline(data: Toggle[]): Promise<Unleash> {
  const unleash = new Unleash({
    appName: 'vexil-bench',
    url: 'http://127.0.0.1:9/api/', // never contacted: refreshInterval 0 disables fetching
    refreshInterval: 0,
    disableMetrics: true,
    disableAutoStart: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data },
  });
  const ready = once(unleash, 'ready');
  await unleash.start();
  await ready;
  return unleash;
}

/**
 * `unleash-client` (Node server SDK), synchronous. Each context becomes
 * `{ userId, properties }`. Unleash has no evaluate-all call: S4 calls `getVariant`
 * for each of the 200 toggles and collects the results in a list, as `evaluateAll` does.
 */
export async function createUnleashAdapter(contexts: readonly BenchContext[]): Promise<CoreAdapter> {
  const { single, many } = unleashToggles();
  const unleash = await startOffline(single);
  const unleashAll = await startOffline(many);
  const names = s4Keys();
  const pool: Context[] = contexts.map(({ targetingKey, ...properties }) => ({
    userId: targetingKey,
    properties,
  }));
  const size = pool.length;
  const all = (ctx: Context) => {
    const out: { name: string }[] = [];
    for (let f = 0; f < names.length; f++) out.push(unleashAll.getVariant(names[f]!, ctx));
    return out;
  };
  return {
    name: 'unleash',
    async: false,
    api: {
      S1: 'isEnabled(name, ctx)',
      S2: 'getVariant(name, ctx)',
      S3: 'isEnabled(name, ctx)',
      S4: 'getVariant(name, ctx) for each of the 200 toggles, into a list',
    },
    s1: (i) => unleash.isEnabled(S1_KEY, pool[i]),
    s2: (i) => unleash.getVariant(S2_KEY, pool[i]).name,
    s3: (i) => unleash.isEnabled(S3_KEY, pool[i]),
    s4: (i) => {
      const out: Record<string, string> = {};
      all(pool[i]!).forEach((variant, f) => {
        out[names[f]!] = variant.name;
      });
      return out;
    },
    loops: {
      S1: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (unleash.isEnabled(S1_KEY, pool[j])) sink++;
        return sink;
      },
      S2: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (unleash.getVariant(S2_KEY, pool[j]).name === 'a') sink++;
        return sink;
      },
      S3: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (unleash.isEnabled(S3_KEY, pool[j])) sink++;
        return sink;
      },
      S4: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (all(pool[j]!)[0]?.name === 'a') sink++;
        return sink;
      },
    },
    close: async () => {
      unleash.destroy();
      unleashAll.destroy();
    },
  };
}
