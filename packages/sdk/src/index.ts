/**
 * @vexil/sdk — local flag evaluation for Node (this entry) and browsers (`browser` condition).
 * Streaming, polling, bucket, file and offline sources; cache; events; never throws when evaluating.
 */

import { createClientFor } from './client/create-client.js';
import type { ClientOptions } from './client/options.js';
import type { VexilClient } from './client/types.js';
import { nodePlatform } from './platform/node.js';

export * from './shared-exports.js';

/**
 * Creates a client. It connects at once; evaluations are local and synchronous.
 * @example
 * const client = createClient({ url: 'http://localhost:4280', sdkKey: process.env.VEXIL_SDK_KEY });
 * await client.waitForReady({ timeout: 5000 });
 * if (client.getBoolean('new-checkout', false, { targetingKey: user.id })) { … }
 */
export function createClient(options: ClientOptions): VexilClient {
  return createClientFor(nodePlatform, options);
}
