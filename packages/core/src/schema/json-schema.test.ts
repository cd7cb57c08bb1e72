import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flagSetJsonSchema } from './json-schema.js';

describe('flagset.schema.json', () => {
  it('is up to date with the zod schema (run `npm run schema -w @vexil/core` after changing it)', () => {
    const committed = JSON.parse(readFileSync(new URL('../../flagset.schema.json', import.meta.url), 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(flagSetJsonSchema())));
  });
});
