import { buildFlagSet } from '../services/flag-sets/build-flag-set.js';
import type { EnvironmentState } from '../stores/types.js';
import type { SigningKeys } from './signing/signing-keys.js';
import { BuiltSnapshot, type Part } from './snapshot.js';

/**
 * The serialized flags and segments of an environment's last build, by key, with the
 * stamp (version and times) they were serialized at: a rebuild serializes only what
 * changed since. The times tell a flag re-created under the same key and version apart.
 */
export type PartCache = Map<string, Part & { readonly stamp: string }>;

const CLOCK_WORDS = ['"ramp"', '"schedule"', '"experiment"', '"before"', '"after"', '$now'];

/**
 * Both scopes of one environment from one consistent read of it (`buildFlagSet`, the
 * function behind `vexil.flagSets.build`). Each flag and segment is serialized once — and
 * not again in later builds while its version stays the same — and shared by both scopes.
 */
export function buildSnapshots(
  state: EnvironmentState,
  generatedAt: string,
  keys: SigningKeys,
  cache: { flags: PartCache; segments: PartCache } = { flags: new Map(), segments: new Map() },
): { server: BuiltSnapshot; client: BuiltSnapshot } {
  const server = buildFlagSet(state, 'server', generatedAt);
  const client = buildFlagSet(state, 'client', generatedAt);
  const stamp = (r: { version: number; createdAt: string; updatedAt: string }) =>
    `${r.version}/${r.createdAt}/${r.updatedAt}`;
  const versions = new Map(state.flags.map((f) => [f.key, stamp(f)]));
  const segmentVersions = new Map(state.segments.map((s) => [s.key, stamp(s)]));
  const flagParts = parts(server.flags, versions, cache.flags);
  const segmentParts = parts(server.segments ?? {}, segmentVersions, cache.segments);
  return {
    server: new BuiltSnapshot(server, flagParts, segmentParts, keys),
    client: new BuiltSnapshot(
      client,
      pick(flagParts, Object.keys(client.flags)),
      pick(segmentParts, Object.keys(client.segments ?? {})),
      keys,
    ),
  };
}

/** Each value's part, reused from `cache` when its version is unchanged; `cache` keeps only these keys. */
function parts(
  values: Readonly<Record<string, unknown>>,
  stamps: ReadonlyMap<string, string>,
  cache: PartCache,
): Map<string, Part> {
  const out = new Map<string, Part>();
  for (const [key, value] of Object.entries(values)) {
    const stamp = stamps.get(key);
    let part = cache.get(key);
    if (part === undefined || stamp === undefined || part.stamp !== stamp) {
      const json = JSON.stringify(value);
      part = {
        json,
        bytes: Buffer.from(`${JSON.stringify(key)}:${json}`, 'utf8'),
        timeDependent: CLOCK_WORDS.some((word) => json.includes(word)),
        stamp: stamp ?? '',
      };
      cache.set(key, part);
    }
    out.set(key, part);
  }
  for (const key of cache.keys()) if (!out.has(key)) cache.delete(key);
  return out;
}

function pick(all: ReadonlyMap<string, Part>, keys: readonly string[]): Map<string, Part> {
  const picked = new Map<string, Part>();
  for (const key of keys) picked.set(key, all.get(key)!);
  return picked;
}
