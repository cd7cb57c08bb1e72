import {
  basicLogger,
  init,
  integrations,
  type LDClient,
  type LDContext,
} from '@launchdarkly/node-server-sdk';
import type { CoreAdapter } from '../adapter.js';
import type { BenchContext } from '../contexts.js';
import { S1_KEY, S2_KEY, S2_ROLLOUT_PERCENT, S2_RULES, S3_KEY, S3_ON_PERCENT, s4Keys } from '../spec.js';

const WEIGHT = 1000; // LaunchDarkly rollout weights total 100 000, like Vexil's

const clause = (attribute: string, op: string, values: unknown[]) => ({
  contextKind: 'user',
  attribute,
  op,
  values,
  negate: false,
});

/** A flag in LaunchDarkly's data model, switched on, with the fields a real one carries. */
function flag(key: string, fields: Record<string, unknown>) {
  return {
    key,
    version: 1,
    on: true,
    deleted: false,
    salt: key,
    targets: [],
    contextTargets: [],
    prerequisites: [],
    rules: [],
    trackEvents: false,
    trackEventsFallthrough: false,
    clientSideAvailability: { usingEnvironmentId: false, usingMobileKey: false },
    ...fields,
  };
}

/** S2 in LaunchDarkly's model: rules in order (`in`, `greaterThan`, `endsWith`), fallthrough rollout by `key`. */
function s2Flag(key: string) {
  return flag(key, {
    variations: ['a', 'b', 'c'],
    offVariation: 0,
    rules: [
      { id: 'country', clauses: [clause('country', 'in', [...S2_RULES.countries])], variation: 0 },
      {
        id: 'enterprise',
        clauses: [
          clause('plan', 'in', [S2_RULES.plan]),
          clause('seats', 'greaterThan', [S2_RULES.seatsAbove]),
        ],
        variation: 1,
      },
      { id: 'email', clauses: [clause('email', 'endsWith', [S2_RULES.emailSuffix])], variation: 2 },
    ],
    fallthrough: {
      rollout: {
        variations: [
          { variation: 0, weight: S2_ROLLOUT_PERCENT.a * WEIGHT },
          { variation: 1, weight: S2_ROLLOUT_PERCENT.b * WEIGHT },
        ],
      },
    },
  });
}

/** The LaunchDarkly flags for S1–S3 and for S4. */
export function launchdarklyFlags(): { single: object[]; many: object[] } {
  return {
    single: [
      flag(S1_KEY, { variations: [true, false], offVariation: 1, fallthrough: { variation: 0 } }),
      s2Flag(S2_KEY),
      flag(S3_KEY, {
        variations: [true, false],
        offVariation: 1,
        fallthrough: {
          rollout: {
            variations: [
              { variation: 0, weight: S3_ON_PERCENT * WEIGHT },
              { variation: 1, weight: (100 - S3_ON_PERCENT) * WEIGHT },
            ],
          },
        },
      }),
    ],
    many: s4Keys().map(s2Flag),
  };
}

/** A client fed by the SDK's TestData source: no network, events and diagnostics off, silent logger. */
async function startOffline(flags: object[]): Promise<LDClient> {
  const td = new integrations.TestData();
  for (const f of flags) await td.usePreconfiguredFlag(f);
  const client = init('sdk-unused', {
    updateProcessor: td.getFactory(),
    sendEvents: false,
    diagnosticOptOut: true,
    logger: basicLogger({ level: 'none' }),
  });
  await client.waitForInitialization({ timeout: 10 });
  return client;
}

/**
 * `@launchdarkly/node-server-sdk`. Its evaluation API is promise-only, so every loop
 * awaits each call before the next, as a request handler would. Each context becomes a
 * single-kind `user` context.
 */
export async function createLaunchdarklyAdapter(contexts: readonly BenchContext[]): Promise<CoreAdapter> {
  const { single, many } = launchdarklyFlags();
  const client = await startOffline(single);
  const allClient = await startOffline(many);
  const pool: LDContext[] = contexts.map(({ targetingKey, ...rest }) => ({
    kind: 'user',
    key: targetingKey,
    ...rest,
  }));
  const size = pool.length;
  return {
    name: 'launchdarkly',
    async: true,
    api: {
      S1: 'await variation(key, ctx, false)',
      S2: "await variation(key, ctx, '')",
      S3: 'await variation(key, ctx, false)',
      S4: 'await allFlagsState(ctx)',
    },
    s1: async (i) => (await client.variation(S1_KEY, pool[i]!, false)) === true,
    s2: async (i) => String(await client.variation(S2_KEY, pool[i]!, '')),
    s3: async (i) => (await client.variation(S3_KEY, pool[i]!, false)) === true,
    s4: async (i) => {
      const out: Record<string, string> = {};
      const values = (await allClient.allFlagsState(pool[i]!)).allValues();
      for (const [key, value] of Object.entries(values)) out[key] = String(value);
      return out;
    },
    loops: {
      S1: async (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if ((await client.variation(S1_KEY, pool[j]!, false)) === true) sink++;
        return sink;
      },
      S2: async (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if ((await client.variation(S2_KEY, pool[j]!, '')) === 'a') sink++;
        return sink;
      },
      S3: async (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if ((await client.variation(S3_KEY, pool[j]!, false)) === true) sink++;
        return sink;
      },
      S4: async (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if ((await allClient.allFlagsState(pool[j]!)).getFlagValue('s4-000') === 'a') sink++;
        return sink;
      },
    },
    close: async () => {
      client.close();
      allClient.close();
    },
  };
}
