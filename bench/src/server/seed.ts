import { s2Flag } from '../core/scenarios.js';
import type { ServerProcess } from './server-process.js';

/** How many flags the server benchmark serves (like Unleash's reference run). */
export const SERVER_FLAG_COUNT = 350;

/** Keys of the benchmark's flags: `bench-000` … `bench-349`. */
export function benchFlagKeys(): string[] {
  return Array.from({ length: SERVER_FLAG_COUNT }, (_, i) => `bench-${String(i).padStart(3, '0')}`);
}

/**
 * Imports 350 flags like the core benchmark's S2 (three ordered rules, then a 50/50
 * rollout), all client-visible, into project `default`, and makes a server and a client
 * key for production.
 */
export async function seedServer(server: ServerProcess): Promise<{ serverKey: string; clientKey: string }> {
  const flags = Object.fromEntries(benchFlagKeys().map((key) => [key, { ...s2Flag(), clientVisible: true }]));
  await server.admin('POST', '/api/v1/projects/default/import?mode=merge', { formatVersion: 1, flags });
  const key = async (kind: 'server' | 'client') =>
    (
      await server.admin<{ secret: string }>('POST', '/api/v1/keys', {
        kind,
        project: 'default',
        environment: 'production',
        name: `bench ${kind}`,
      })
    ).secret;
  return { serverKey: await key('server'), clientKey: await key('client') };
}
