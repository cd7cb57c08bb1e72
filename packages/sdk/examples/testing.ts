// npx tsx --conditions=vexil-source packages/sdk/examples/testing.ts
// The in-memory client for your own tests: set flags directly, no server, no files.
import { withFlag } from '@vexil/sdk';
import { createTestClient } from '@vexil/sdk/testing';

const flags = createTestClient({ 'new-pricing': true });
const price = withFlag(
  flags,
  'new-pricing',
  (amount: number) => amount * 0.9,
  (amount: number) => amount,
);
console.log('price with new-pricing on:', price(100));
flags.set('new-pricing', false);
console.log('price with new-pricing off:', price(100));
