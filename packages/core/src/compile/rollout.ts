import type { EvaluationContext } from '../evaluate/context.js';
import { TOTAL_WEIGHT } from '../schema/primitives.js';
import type { Rollout } from '../schema/rollout.js';
import { type AttributeGetter, type Clock, compileAttribute } from './attribute.js';
import { type Bucketer, NO_SUBJECT_WEIGHTS, type SubjectWeights } from './subject-weights.js';
import { pick, pickRamped, sortedVariantNames, thresholds } from './weights.js';

/** Why a rollout could not place a context: the attribute it buckets by is missing or unusable. */
export const NO_BUCKET = -1;

/** A rollout ready to place contexts into variants. */
export class CompiledRollout {
  /** Variant names in bucket order; `place` returns an index into this. */
  readonly variants: readonly string[];
  readonly bucketBy: string;
  private readonly get: AttributeGetter;
  /** Hashing, or the layout of the `weightedBy` table (a different class only when weighted). */
  readonly hasher: Bucketer;
  /** The weight table the rollout is balanced by. */
  readonly weightedBy: string | undefined;
  private readonly base: Float64Array;
  private readonly ramp: { start: number; end: number; to: Float64Array } | undefined;
  private readonly steps: { at: number; thresholds: Float64Array }[] | undefined;
  private readonly random: boolean;
  private readonly byTargetingKey: boolean;

  constructor(source: Rollout, defaultSeed: string, weights: SubjectWeights = NO_SUBJECT_WEIGHTS) {
    this.variants = sortedVariantNames(
      source.variants,
      ...(source.ramp ? [source.ramp.to] : []),
      ...(source.schedule ?? []).map((s) => s.variants),
    );
    this.bucketBy = source.bucketBy ?? 'targetingKey';
    this.get = compileAttribute(this.bucketBy);
    this.byTargetingKey = this.bucketBy === 'targetingKey';
    this.weightedBy = source.weightedBy;
    this.hasher = weights.bucketer(source.weightedBy, source.seed ?? defaultSeed);
    this.base = thresholds(this.variants, source.variants);
    this.random = source.random === true;
    this.ramp = source.ramp && {
      start: Date.parse(source.ramp.start),
      end: Date.parse(source.ramp.end),
      to: thresholds(this.variants, source.ramp.to),
    };
    this.steps = source.schedule?.map((s) => ({
      at: Date.parse(s.at),
      thresholds: thresholds(this.variants, s.variants),
    }));
  }

  /** The variant index for a context, or NO_BUCKET. */
  place(ctx: EvaluationContext, clock: Clock, random: () => number): number {
    let b: number;
    if (this.random) b = Math.min(TOTAL_WEIGHT - 1, Math.floor(random() * TOTAL_WEIGHT));
    else {
      const value = this.byTargetingKey ? ctx.targetingKey : this.get(ctx, clock);
      if (typeof value === 'string') b = this.hasher.bucket(value);
      else if (typeof value === 'number' && Number.isFinite(value)) b = this.hasher.bucket(String(value));
      else return NO_BUCKET;
    }
    return this.placeBucket(b, clock.now);
  }

  /** The bucket-by value as it is hashed (for traces; `place` reads it inline). */
  bucketValue(ctx: EvaluationContext, clock: Clock): string | undefined {
    const value = this.get(ctx, clock);
    if (typeof value === 'string') return value;
    return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
  }

  /** The variant index for a bucket at a time (ramps and schedules depend on it). */
  placeBucket(b: number, now: number): number {
    const ramp = this.ramp;
    if (ramp !== undefined && now >= ramp.start) {
      if (now >= ramp.end) return pick(ramp.to, b);
      return pickRamped(this.base, ramp.to, (now - ramp.start) / (ramp.end - ramp.start), b);
    }
    const steps = this.steps;
    if (steps !== undefined) {
      for (let i = steps.length - 1; i >= 0; i--)
        if (now >= steps[i]!.at) return pick(steps[i]!.thresholds, b);
    }
    return pick(this.base, b);
  }
}
