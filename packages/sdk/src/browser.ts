/**
 * @vexil/sdk for browsers: the same client as in Node, with the cache in localStorage and
 * no Node built-ins. Use a `vx_client_…` key: it only sees client-visible flags.
 */

import { createClientFor } from './client/create-client.js';
import type { ClientOptions } from './client/options.js';
import type { VexilClient } from './client/types.js';
import { browserPlatform } from './platform/browser.js';

export * from './shared-exports.js';

/**
 * Creates a browser client.
 * @example
 * const client = createClient({ url: 'https://flags.example.com', sdkKey: 'vx_client_…', bootstrap: window.__FLAGS__ });
 * client.on('update', () => render());
 */
export function createClient(options: ClientOptions): VexilClient {
  return createClientFor(browserPlatform, options);
}
