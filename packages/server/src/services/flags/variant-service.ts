import type { JsonValue } from '@vexil/core';
import { NotFoundError } from '../../errors/index.js';
import type { ServiceContext, WriteOptions } from '../context.js';
import { requireFlag } from '../lookups.js';
import { effectiveVariants } from './definition.js';
import { mutateFlag } from './flag-writes.js';

/**
 * A flag's variants. A boolean flag without variants has `on` and `off`; changing one
 * writes both out.
 */
export class VariantService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(project: string, flag: string): Promise<Record<string, JsonValue>> {
    return effectiveVariants((await requireFlag(this.ctx.store, project, flag)).definition);
  }

  /** Adds or changes a variant; its value must suit the flag's type. */
  set(project: string, flag: string, name: string, value: JsonValue, options: WriteOptions = {}) {
    return mutateFlag(
      this.ctx,
      project,
      flag,
      'flag.variants',
      (c) => ({
        definition: { ...c.definition, variants: { ...effectiveVariants(c.definition), [name]: value } },
      }),
      options,
    );
  }

  /** Removes a variant; refused (with the places it is used) while anything serves it. */
  remove(project: string, flag: string, name: string, options: WriteOptions = {}) {
    return mutateFlag(
      this.ctx,
      project,
      flag,
      'flag.variants',
      (c) => {
        const variants = effectiveVariants(c.definition);
        if (!(name in variants)) throw new NotFoundError('variant', name);
        delete variants[name];
        return { definition: { ...c.definition, variants } };
      },
      options,
    );
  }
}
