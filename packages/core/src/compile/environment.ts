import { findCycles } from '../graph/find-cycles.js';
import type { FlagSetDefinition } from '../schema/flag-set.js';
import { ConditionCompiler, type SegmentLookup } from './condition.js';
import { type CompiledFlag, compileFlag } from './flag.js';
import type { MatcherFactory } from './generate-matcher.js';
import type { SubjectWeights } from './subject-weights.js';

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
  weights: SubjectWeights,
  /** Whether rules are compiled to JavaScript functions (see generate-matcher.ts). */
  generateCode: boolean,
): CompiledEnvironment {
  const flags = new Map<string, CompiledFlag>();
  const conditions = new ConditionCompiler(segments);
  const factories = generateCode ? new Map<string, MatcherFactory>() : undefined;
  for (const [key, flag] of Object.entries(set.flags))
    flags.set(key, compileFlag(key, flag, name, conditions, weights, factories));
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
  findCycles(
    flags.keys(),
    (key) => flags.get(key)?.prerequisites.map((p) => p.flag) ?? [],
    (loop) => {
      const message = `prerequisite cycle: ${[...loop, loop[0]].join(' → ')}`;
      for (const key of loop) flags.get(key)!.cycle ??= message;
    },
  );
}
