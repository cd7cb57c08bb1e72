/** @vexil/sdk/openfeature/web — Vexil as a provider for `@openfeature/web-sdk`. */
export { VexilProvider, type VexilWebProviderOptions } from './openfeature/web-provider.js';
