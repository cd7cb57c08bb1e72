import type { Rule } from '@vexil/core';
import { NotFoundError } from '../../errors/index.js';
import type { ServiceContext, WriteOptions } from '../context.js';
import { requireEnvironment, requireFlag } from '../lookups.js';
import { effectiveConfig } from './definition.js';
import { editEnvironment } from './edit-environment.js';

/** Where a flag's rule lives: project, environment, flag. */
export interface FlagTarget {
  readonly project: string;
  readonly environment: string;
  readonly flag: string;
}

/** A rule's id, or its index (`"0"`, `"1"` …) when it has none, as evaluation reports it. */
export function ruleIndex(rules: readonly Rule[], id: string): number {
  const index = rules.findIndex((r, i) => (r.id ?? String(i)) === id);
  if (index < 0) throw new NotFoundError('rule', id);
  return index;
}

function freshId(rules: readonly Rule[]): string {
  const taken = new Set(rules.map((r) => r.id));
  let n = rules.length + 1;
  while (taken.has(`rule-${n}`)) n++;
  return `rule-${n}`;
}

/** Ordered targeting rules of a flag in one environment. Rules get an id when they have none. */
export class RuleService {
  constructor(private readonly ctx: ServiceContext) {}

  async list(target: FlagTarget): Promise<Rule[]> {
    await requireEnvironment(this.ctx.store, target.project, target.environment);
    const flag = await requireFlag(this.ctx.store, target.project, target.flag);
    return effectiveConfig(flag.definition, target.environment).rules ?? [];
  }

  /** Adds a rule at `index` (default: last). */
  add(target: FlagTarget, rule: Rule, options: WriteOptions & { index?: number | undefined } = {}) {
    return editEnvironment(this.ctx, target, 'flag.rules', options, (config) => {
      const rules = [...(config.rules ?? [])];
      const withId = { ...rule, id: rule.id ?? freshId(rules) };
      rules.splice(Math.min(Math.max(options.index ?? rules.length, 0), rules.length), 0, withId);
      return { rules };
    });
  }

  update(target: FlagTarget, id: string, rule: Rule, options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.rules', options, (config) => {
      const rules = [...(config.rules ?? [])];
      const index = ruleIndex(rules, id);
      rules[index] = { ...rule, id: rule.id ?? rules[index]!.id ?? id };
      return { rules };
    });
  }

  remove(target: FlagTarget, id: string, options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.rules', options, (config) => {
      const rules = [...(config.rules ?? [])];
      rules.splice(ruleIndex(rules, id), 1);
      return { rules };
    });
  }

  /** Moves a rule to `index` in the order. */
  move(target: FlagTarget, id: string, index: number, options: WriteOptions = {}) {
    return editEnvironment(this.ctx, target, 'flag.rules', options, (config) => {
      const rules = [...(config.rules ?? [])];
      const [rule] = rules.splice(ruleIndex(rules, id), 1);
      rules.splice(Math.min(Math.max(index, 0), rules.length), 0, rule!);
      return { rules };
    });
  }
}
