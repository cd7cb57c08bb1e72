import type { EvaluationContext } from '../evaluate/context.js';
import type { Segment } from '../schema/segment.js';
import type { Clock } from './attribute.js';
import { CompiledCondition, type SegmentLookup, type SegmentMembership } from './condition.js';

/** A segment ready to test membership. */
export class CompiledSegment implements SegmentMembership {
  private readonly included: ReadonlySet<string>;
  private readonly excluded: ReadonlySet<string>;
  private conditions: readonly CompiledCondition[] = [];

  constructor(
    readonly key: string,
    private readonly source: Segment,
  ) {
    this.included = new Set(source.included ?? []);
    this.excluded = new Set(source.excluded ?? []);
  }

  contains(ctx: EvaluationContext, clock: Clock): boolean {
    const key = ctx.targetingKey;
    if (typeof key === 'string') {
      if (this.included.has(key)) return true;
      if (this.excluded.has(key)) return false;
    }
    const conditions = this.conditions;
    if (conditions.length === 0) return false;
    for (const condition of conditions) if (!condition.test(ctx, clock)) return false;
    return true;
  }

  /** Compiles the conditions, once every segment of the set exists (they may refer to each other). */
  compile(segments: SegmentLookup): void {
    this.conditions = (this.source.conditions ?? []).map((c) => new CompiledCondition(c, segments));
  }
}

/** Compiles every segment of a set; the lookup resolves references between them. */
export function compileSegments(segments: Readonly<Record<string, Segment>>): SegmentLookup {
  const compiled = new Map<string, CompiledSegment>();
  const lookup: SegmentLookup = (key) => compiled.get(key);
  for (const [key, segment] of Object.entries(segments)) compiled.set(key, new CompiledSegment(key, segment));
  for (const segment of compiled.values()) segment.compile(lookup);
  return lookup;
}
