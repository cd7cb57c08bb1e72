// Writes flagset.schema.json from the zod schema (run by `npm run schema -w @vexil/core`).
import { writeFileSync } from 'node:fs';
import { flagSetJsonSchema } from '../src/schema/json-schema.js';

const file = new URL('../flagset.schema.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(flagSetJsonSchema(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
