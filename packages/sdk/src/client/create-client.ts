import type { Platform } from '../platform/platform.js';
import { type ClientOptions, resolveOptions } from './options.js';
import type { VexilClient } from './types.js';
import { VexilClientImpl } from './vexil-client.js';

/** Creates a client for a platform (the Node and browser entry points pass theirs). */
export function createClientFor(platform: Platform, options: ClientOptions): VexilClient {
  return new VexilClientImpl(resolveOptions(options, platform.defaultUrl), platform);
}
