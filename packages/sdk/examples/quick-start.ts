// npx tsx --conditions=vexil-source packages/sdk/examples/quick-start.ts
// Flags from a file, evaluated locally. With a server, use { url, sdkKey } instead of source/file.
import { fileURLToPath } from 'node:url';
import { createClient } from '@vexil/sdk';

const client = createClient({
  source: 'file',
  file: fileURLToPath(new URL('./flags.json', import.meta.url)),
});
await client.waitForReady({ timeout: 2000 });

const user = { targetingKey: 'user-7', country: 'NL' };
console.log('new-checkout:', client.getBoolean('new-checkout', false, user));
console.log('button-color:', client.getString('button-color', 'red', user));
console.log('max-items:', client.getNumber('max-items', 0, user));
console.log('details:', client.getDetails('new-checkout', false, user));
// What a server renders into a page to bootstrap a browser client (no context attributes in it):
console.log('allFlags:', JSON.stringify(client.allFlags(user, { clientVisibleOnly: true })));
await client.close();
