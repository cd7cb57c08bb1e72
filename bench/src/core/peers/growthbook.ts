import {
  type FeatureDefinition,
  type FeatureResult,
  GrowthBookClient,
  type UserContext,
} from '@growthbook/growthbook';
import type { CoreAdapter } from '../adapter.js';
import type { BenchContext } from '../contexts.js';
import { S1_KEY, S2_KEY, S2_ROLLOUT_PERCENT, S2_RULES, S3_KEY, S3_ON_PERCENT, s4Keys } from '../spec.js';

/**
 * S2 as GrowthBook force rules, first match wins. GrowthBook has no "ends with"
 * operator, so the email rule is an anchored `$regex`. The 50/50 split is GrowthBook's
 * percentage rollout: a force rule with `coverage` (hashed on `id`, hash v2) serves `b`
 * to half the keys; the other half fall to the default value `a`. (An experiment rule
 * would also split, but it tracks exposures — the rollout rule is the like-for-like.)
 */
function s2Feature(): FeatureDefinition<string> {
  return {
    defaultValue: 'a',
    rules: [
      { id: 'country', condition: { country: { $in: [...S2_RULES.countries] } }, force: 'a' },
      {
        id: 'enterprise',
        condition: { plan: S2_RULES.plan, seats: { $gt: S2_RULES.seatsAbove } },
        force: 'b',
      },
      { id: 'email', condition: { email: { $regex: `${escapeRegex(S2_RULES.emailSuffix)}$` } }, force: 'c' },
      {
        id: 'rollout',
        force: 'b',
        coverage: S2_ROLLOUT_PERCENT.b / 100,
        hashAttribute: 'id',
        hashVersion: 2,
      },
    ],
  };
}

/** The GrowthBook feature definitions for S1–S3 and for S4. */
export function growthbookFeatures(): {
  single: Record<string, FeatureDefinition>;
  many: Record<string, FeatureDefinition>;
} {
  return {
    single: {
      [S1_KEY]: { defaultValue: true },
      [S2_KEY]: s2Feature(),
      [S3_KEY]: {
        defaultValue: false,
        rules: [{ force: true, coverage: S3_ON_PERCENT / 100, hashAttribute: 'id', hashVersion: 2 }],
      },
    },
    many: Object.fromEntries(s4Keys().map((key) => [key, s2Feature()])),
  };
}

/**
 * GrowthBook's multi-user server client (`GrowthBookClient`, initialised synchronously
 * from a payload; no polling, no streaming, no tracking callback). Each context becomes
 * a `UserContext` with `attributes.id` = targeting key. GrowthBook has no evaluate-all
 * call: S4 evaluates each feature and collects the results in a list, as `evaluateAll`
 * returns them.
 */
export async function createGrowthbookAdapter(contexts: readonly BenchContext[]): Promise<CoreAdapter> {
  const { single, many } = growthbookFeatures();
  const gb = new GrowthBookClient().initSync({ payload: { features: single } });
  const gbAll = new GrowthBookClient().initSync({ payload: { features: many } });
  const keys = s4Keys();
  const pool: UserContext[] = contexts.map(({ targetingKey, ...rest }) => ({
    attributes: { id: targetingKey, ...rest },
  }));
  const size = pool.length;
  const all = (user: UserContext) => {
    const out: FeatureResult[] = [];
    for (let f = 0; f < keys.length; f++) out.push(gbAll.evalFeature(keys[f]!, user));
    return out;
  };
  return {
    name: 'growthbook',
    async: false,
    api: {
      S1: 'isOn(key, userContext)',
      S2: "getFeatureValue(key, '', userContext)",
      S3: 'isOn(key, userContext)',
      S4: 'evalFeature(key, userContext) for each of the 200 features, into a list',
    },
    s1: (i) => gb.isOn(S1_KEY, pool[i]!),
    s2: (i) => gb.getFeatureValue(S2_KEY, '', pool[i]!),
    s3: (i) => gb.isOn(S3_KEY, pool[i]!),
    s4: (i) => {
      const out: Record<string, string> = {};
      for (const key of keys) out[key] = String(gbAll.evalFeature(key, pool[i]!).value);
      return out;
    },
    loops: {
      S1: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (gb.isOn(S1_KEY, pool[j]!)) sink++;
        return sink;
      },
      S2: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (gb.getFeatureValue(S2_KEY, '', pool[j]!) === 'a') sink++;
        return sink;
      },
      S3: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (gb.isOn(S3_KEY, pool[j]!)) sink++;
        return sink;
      },
      S4: (from, n) => {
        let sink = 0;
        for (let k = 0, j = from % size; k < n; k++, j = j + 1 === size ? 0 : j + 1)
          if (all(pool[j]!)[0]?.value === 'a') sink++;
        return sink;
      },
    },
    close: async () => {
      gb.destroy();
      gbAll.destroy();
    },
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
