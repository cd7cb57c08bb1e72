import { z } from 'zod';
import { FlagSetSchema } from './flag-set.js';

/** The flag-set format as a JSON Schema (draft 2020-12), for editors and other languages. */
export function flagSetJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(FlagSetSchema, { target: 'draft-2020-12', unrepresentable: 'any', io: 'input' }),
    $id: 'https://vexil.dev/schemas/flagset-1.json',
    title: 'Vexil flag set',
  };
}
