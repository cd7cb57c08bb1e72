import type { EvaluationContext } from '../evaluate/context.js';
import type { ConditionTrace } from '../evaluate/trace.js';
import {
  compilePredicate,
  MATCH,
  NO_MATCH,
  NOT_APPLICABLE,
  type Predicate,
  type Verdict,
} from '../operators/predicates.js';
import { conditionValues } from '../parse/check-condition.js';
import type { Condition } from '../schema/condition.js';
import { type AttributeGetter, type Clock, compileAttribute, isInherited } from './attribute.js';

/** Anything a `segment` condition can ask about membership. */
export interface SegmentMembership {
  contains(ctx: EvaluationContext, clock: Clock): boolean;
}

/** Reads the segments a `segment` condition names (segments may refer to segments). */
export type SegmentLookup = (key: string) => SegmentMembership | undefined;

// Fast paths for the common shapes; anything else goes through the generic predicate.
// An enum, not module constants: the compiler inlines its members as literals, so the
// switch in `test` compares against constants (a bundled module's top-level `const`
// becomes a `var`, which V8 reloads on every comparison).
export enum Kind {
  Generic = 0,
  EqualsOne = 1,
  InSet = 2,
  Less = 3,
  AtMost = 4,
  Greater = 5,
  AtLeast = 6,
  StartsWith = 7,
  EndsWith = 8,
  Contains = 9,
  Exists = 10,
  Segment = 11,
  InFew = 12,
}

/** Up to this many values, a linear scan beats hashing into a Set. */
const FEW = 4;

/**
 * A condition ready to run. One class for every operator, so the rule loop's call is
 * monomorphic and inlined; common operators take a switch fast path, the rest (and
 * arrays, and values of the wrong kind) the generic predicate. Missing attributes and
 * values of the wrong kind make a condition false whatever `negate` says; an array
 * attribute matches when any element does.
 */
export class CompiledCondition {
  /** Index into an `evaluateAll` call's memo; identical conditions share one. */
  slot = -1;
  // Read by generated matchers (generate-matcher.ts) as well as below; set up once.
  kind = Kind.Generic;
  /** Attribute name when the path has one segment (read directly), else undefined. */
  readonly name: string | undefined;
  private readonly get: AttributeGetter;
  /** Whether to invert a verdict (`negate`, or a `neq` / `notIn`). */
  readonly invert: boolean;
  one: unknown;
  text = '';
  bound = 0;
  private set: ReadonlySet<unknown> | undefined;
  few: readonly unknown[] = [];
  private readonly predicate: Predicate | undefined;
  private readonly members: readonly SegmentMembership[];

  constructor(
    readonly source: Condition,
    segments: SegmentLookup,
  ) {
    const values = conditionValues(source);
    const negate = source.negate === true;
    const path = source.attribute ?? '';
    this.get = compileAttribute(path);
    const direct = path !== '' && !path.includes('.') && path !== '$now' && !isInherited(path);
    this.name = direct ? internalize(path) : undefined;
    if (source.op === 'segment') {
      this.kind = Kind.Segment;
      this.invert = negate;
      this.members = values
        .map((v) => segments(String(v)))
        .filter((s): s is SegmentMembership => s !== undefined);
      this.predicate = undefined;
      return;
    }
    this.members = [];
    if (source.op === 'exists') {
      this.kind = Kind.Exists;
      this.invert = negate;
      this.predicate = undefined;
      return;
    }
    const inverted = source.op === 'neq' || source.op === 'notIn';
    const op = source.op === 'neq' ? 'eq' : source.op === 'notIn' ? 'in' : source.op;
    this.invert = negate !== inverted;
    this.predicate = compilePredicate(op, values);
    this.chooseFastPath(op, values);
  }

  private chooseFastPath(op: string, values: readonly (string | number | boolean)[]): void {
    const first = values[0];
    const single = values.length === 1;
    if (op === 'eq' || op === 'in') {
      if (single) {
        this.kind = Kind.EqualsOne;
        this.one = first;
      } else if (values.length <= FEW) {
        this.kind = Kind.InFew;
        this.few = values;
      } else {
        this.kind = Kind.InSet;
        this.set = new Set<unknown>(values);
      }
    } else if (op === 'lt' || op === 'lte' || op === 'gt' || op === 'gte') {
      const numbers = values as readonly number[];
      this.bound = op === 'lt' || op === 'lte' ? Math.max(...numbers) : Math.min(...numbers);
      this.kind =
        op === 'lt' ? Kind.Less : op === 'lte' ? Kind.AtMost : op === 'gt' ? Kind.Greater : Kind.AtLeast;
    } else if (single && typeof first === 'string') {
      if (op === 'startsWith') this.kind = Kind.StartsWith;
      else if (op === 'endsWith') this.kind = Kind.EndsWith;
      else if (op === 'contains') this.kind = Kind.Contains;
      this.text = first;
    }
  }

  /** Whether the condition holds for a context. Small, so that V8 inlines it into the rule loop. */
  test(ctx: EvaluationContext, clock: Clock): boolean {
    const name = this.name;
    return name !== undefined ? this.check(ctx[name]) : this.testOther(ctx, clock);
  }

  /** Segments, dotted paths, `$now` and inherited names. */
  private testOther(ctx: EvaluationContext, clock: Clock): boolean {
    if (this.kind === Kind.Segment) {
      const members = this.members;
      for (let i = 0; i < members.length; i++) if (members[i]!.contains(ctx, clock)) return !this.invert;
      return this.invert;
    }
    return this.check(this.get(ctx, clock));
  }

  /** Whether the attribute's value `v` satisfies the condition (conditions with a `name`). */
  check(v: unknown): boolean {
    const kind = this.kind;
    if (v === undefined || v === null) return kind === Kind.Exists ? this.invert : false;
    switch (kind) {
      case Kind.EqualsOne:
        if (typeof v !== 'object' && typeof v !== 'function') return (v === this.one) !== this.invert;
        break;
      case Kind.InFew:
        if (typeof v !== 'object' && typeof v !== 'function') {
          const few = this.few;
          for (let i = 0; i < few.length; i++) if (v === few[i]) return !this.invert;
          return this.invert;
        }
        break;
      case Kind.InSet:
        if (typeof v !== 'object' && typeof v !== 'function') return this.set!.has(v) !== this.invert;
        break;
      case Kind.Less:
        if (typeof v === 'number') return v < this.bound !== this.invert;
        break;
      case Kind.AtMost:
        if (typeof v === 'number') return v <= this.bound !== this.invert;
        break;
      case Kind.Greater:
        if (typeof v === 'number') return v > this.bound !== this.invert;
        break;
      case Kind.AtLeast:
        if (typeof v === 'number') return v >= this.bound !== this.invert;
        break;
      case Kind.StartsWith:
        if (typeof v === 'string') return v.startsWith(this.text) !== this.invert;
        break;
      case Kind.EndsWith:
        if (typeof v === 'string') return v.endsWith(this.text) !== this.invert;
        break;
      case Kind.Contains:
        if (typeof v === 'string') return v.includes(this.text) !== this.invert;
        break;
      case Kind.Exists:
        return (typeof v !== 'function') !== this.invert;
    }
    return this.slowTest(v);
  }

  /** Arrays, values of another kind, and operators without a fast path. */
  private slowTest(v: unknown): boolean {
    if (typeof v === 'function') return false;
    const predicate = this.predicate!;
    const verdict = Array.isArray(v) ? anyElement(v, predicate) : predicate(v);
    return verdict === NOT_APPLICABLE ? false : (verdict === MATCH) !== this.invert;
  }

  /** The value the condition looks at (for traces). */
  actual(ctx: EvaluationContext, clock: Clock): unknown {
    return this.kind === Kind.Segment ? undefined : this.get(ctx, clock);
  }
}

/**
 * The engine's canonical copy of a string. Attribute names parsed out of JSON values are
 * fresh strings; a property read with a canonical (internalized) name skips a string-table
 * lookup on every read.
 */
export function internalize(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}

function anyElement(values: readonly unknown[], predicate: Predicate): Verdict {
  let applicable = values.length === 0;
  for (const value of values) {
    if (value === undefined || value === null || typeof value === 'function') continue;
    const verdict = predicate(value);
    if (verdict === MATCH) return MATCH;
    if (verdict === NO_MATCH) applicable = true;
  }
  return applicable ? NO_MATCH : NOT_APPLICABLE;
}

/**
 * Compiles conditions for one flag set, handing out one shared instance (with one memo
 * slot) per distinct condition, so `evaluateAll` tests each distinct condition once per call.
 */
export class ConditionCompiler {
  private readonly interned = new Map<string, CompiledCondition>();

  constructor(private readonly segments: SegmentLookup) {}

  compile(source: Condition): CompiledCondition {
    const key = JSON.stringify([
      source.attribute,
      source.op,
      conditionValues(source),
      source.negate === true,
    ]);
    let condition = this.interned.get(key);
    if (condition === undefined) {
      condition = new CompiledCondition(source, this.segments);
      condition.slot = this.interned.size;
      this.interned.set(key, condition);
    }
    return condition;
  }

  /** How many distinct conditions were compiled (the size of a memo). */
  get size(): number {
    return this.interned.size;
  }
}

/** Describes how a condition came out, for a trace. */
export function traceCondition(
  condition: CompiledCondition,
  ctx: EvaluationContext,
  clock: Clock,
  result: boolean,
): ConditionTrace {
  const { source } = condition;
  return {
    attribute: source.attribute,
    op: source.op,
    values: conditionValues(source),
    negate: source.negate === true,
    actual: condition.actual(ctx, clock),
    result,
  };
}
