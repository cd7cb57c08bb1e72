// A throw-away Vexil server with example flags, for trying the dashboard:
//   npx tsx --conditions=vexil-source packages/dashboard/scripts/demo.ts [port]
// It prints the address and an admin key; Ctrl+C stops it and deletes its database.
import { seedDemo, sendExperimentEvents } from '../test/support/demo-data.js';
import { startTestServer } from '../test/support/server.js';

const server = await startTestServer({ port: Number(process.argv[2] ?? 4281) });
await seedDemo(server);
await sendExperimentEvents(server, {
  flag: 'checkout-theme',
  experiment: 'theme-test',
  subjects: { classic: 1000, bold: 1000 },
  conversions: { classic: 100, bold: 131 },
});
console.log(`Vexil demo at ${server.url}\nadmin key: ${server.token}`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
