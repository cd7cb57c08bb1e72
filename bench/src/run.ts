/**
 * `npm run bench [-- section… [--samples N] [--impl name]… [--scenario S2]…]`
 * Runs every benchmark section, or those named. Speed is measured here only — never in tests.
 */
import { parseArgs } from 'node:util';
import { coreSection } from './core/section.js';
import { sdkSection } from './sdk/section.js';
import type { BenchSection } from './section.js';
import { eventsSection } from './server/events.js';
import { serverSection } from './server/section.js';

// Production servers run with NODE_ENV=production; GrowthBook skips its debug logging only then.
process.env.NODE_ENV ??= 'production';

const SECTIONS: readonly BenchSection[] = [coreSection, sdkSection, serverSection, eventsSection];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    samples: { type: 'string' },
    impl: { type: 'string', multiple: true },
    scenario: { type: 'string', multiple: true },
    part: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
});

if (values.help) {
  console.log(
    'Usage: npm run bench -- [section…] [--samples N] [--impl name]… [--scenario S1…S4]… [--part name]…\n',
  );
  for (const s of SECTIONS) console.log(`  ${s.name.padEnd(8)} ${s.description}`);
  console.log('\n  --part (server): http (a–c, f), propagation (d), replicas (e); default all');
  process.exit(0);
}

const unknown = positionals.filter((p) => !SECTIONS.some((s) => s.name === p));
if (unknown.length > 0) {
  console.error(`unknown section ${unknown.join(', ')}; sections: ${SECTIONS.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const samples = values.samples === undefined ? undefined : Number(values.samples);
if (samples !== undefined && !(Number.isInteger(samples) && samples >= 1)) {
  console.error('--samples must be a positive integer');
  process.exit(2);
}

for (const section of SECTIONS) {
  if (positionals.length > 0 && !positionals.includes(section.name)) continue;
  console.log(`\n=== ${section.name}: ${section.description} ===\n`);
  await section.run({
    samples,
    impls: values.impl ?? [],
    scenarios: (values.scenario ?? []).map((s) => s.toUpperCase()),
    parts: values.part ?? [],
  });
}
