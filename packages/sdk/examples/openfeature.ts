// npx tsx --conditions=vexil-source packages/sdk/examples/openfeature.ts
// Vexil behind the OpenFeature server SDK. With a server: new VexilProvider({ url, sdkKey }).
import { fileURLToPath } from 'node:url';
import { OpenFeature } from '@openfeature/server-sdk';
import { VexilProvider } from '@vexil/sdk/openfeature/server';

await OpenFeature.setProviderAndWait(
  new VexilProvider({ source: 'file', file: fileURLToPath(new URL('./flags.json', import.meta.url)) }),
);
const flags = OpenFeature.getClient();
const context = { targetingKey: 'user-7', country: 'NL' };
console.log('new-checkout:', await flags.getBooleanValue('new-checkout', false, context));
console.log('details:', await flags.getStringDetails('button-color', 'red', context));
await OpenFeature.close();
