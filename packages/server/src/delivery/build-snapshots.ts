import { buildFlagSet } from '../services/flag-sets/build-flag-set.js';
import type { EnvironmentState } from '../stores/types.js';
import type { SigningKeys } from './signing/signing-keys.js';
import { BuiltSnapshot } from './snapshot.js';

/**
 * Both scopes of one environment from one consistent read of it (`buildFlagSet`, the
 * function behind `vexil.flagSets.build`). Each flag and segment is serialized once and
 * its text shared by both scopes.
 */
export function buildSnapshots(
  state: EnvironmentState,
  generatedAt: string,
  keys: SigningKeys,
): { server: BuiltSnapshot; client: BuiltSnapshot } {
  const server = buildFlagSet(state, 'server', generatedAt);
  const client = buildFlagSet(state, 'client', generatedAt);
  const flagJson = new Map<string, string>();
  for (const [key, flag] of Object.entries(server.flags)) flagJson.set(key, JSON.stringify(flag));
  const segmentJson = new Map<string, string>();
  for (const [key, segment] of Object.entries(server.segments ?? {}))
    segmentJson.set(key, JSON.stringify(segment));
  return {
    server: new BuiltSnapshot(server, flagJson, segmentJson, keys),
    client: new BuiltSnapshot(
      client,
      pick(flagJson, Object.keys(client.flags)),
      pick(segmentJson, Object.keys(client.segments ?? {})),
      keys,
    ),
  };
}

function pick(all: ReadonlyMap<string, string>, keys: readonly string[]): Map<string, string> {
  const picked = new Map<string, string>();
  for (const key of keys) picked.set(key, all.get(key)!);
  return picked;
}
