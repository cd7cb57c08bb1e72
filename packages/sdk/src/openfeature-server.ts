/** @vexil/sdk/openfeature/server — Vexil as a provider for `@openfeature/server-sdk`. */
export { VexilProvider, type VexilProviderOptions } from './openfeature/server-provider.js';
