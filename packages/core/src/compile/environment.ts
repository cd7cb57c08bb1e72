import type { FlagSetDefinition } from '../schema/flag-set.js';
import { ConditionCompiler, type SegmentLookup } from './condition.js';
import { type CompiledFlag, compileFlag } from './flag.js';

/** All flags of a set compiled for one environment. */
export interface CompiledEnvironment {
  readonly name: string;
  readonly flags: ReadonlyMap<string, CompiledFlag>;
  /** Flags that are not archived, in the set's order (what `evaluateAll` visits). */
  readonly live: readonly CompiledFlag[];
  /** Distinct conditions across the environment's flags: the size of an `evaluateAll` memo. */
  readonly conditionCount: number;
}

export function compileEnvironment(
  set: FlagSetDefinition,
  name: string,
  segments: SegmentLookup,
): CompiledEnvironment {
  const flags = new Map<string, CompiledFlag>();
  const conditions = new ConditionCompiler(segments);
  for (const [key, flag] of Object.entries(set.flags))
    flags.set(key, compileFlag(key, flag, name, conditions));
  markPrerequisiteCycles(flags);
  return {
    name,
    flags,
    live: [...flags.values()].filter((f) => !f.archived),
    conditionCount: conditions.size,
  };
}

/** Flags whose prerequisites loop back to them evaluate to an error instead of recursing forever. */
function markPrerequisiteCycles(flags: ReadonlyMap<string, CompiledFlag>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  for (const start of flags.keys()) {
    if (state.has(start)) continue;
    const stack: { key: string; next: number }[] = [{ key: start, next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const prerequisites = flags.get(top.key)?.prerequisites ?? [];
      if (top.next >= prerequisites.length) {
        state.set(top.key, 'done');
        stack.pop();
        continue;
      }
      const next = prerequisites[top.next++]!.flag;
      if (!flags.has(next)) continue;
      const seen = state.get(next);
      if (seen === 'visiting') {
        const loop = stack.slice(stack.findIndex((s) => s.key === next)).map((s) => s.key);
        const message = `prerequisite cycle: ${[...loop, next].join(' → ')}`;
        for (const key of loop) flags.get(key)!.cycle ??= message;
      } else if (seen === undefined) {
        state.set(next, 'visiting');
        stack.push({ key: next, next: 0 });
      }
    }
  }
  // Flags that depend on a flag in a cycle fail through it at evaluation, with a depth guard.
}
