import type { EvaluationContext } from '../evaluate/context.js';
import { makeResult, type Served } from '../evaluate/result.js';
import type { Experiment } from '../schema/experiment.js';
import { TOTAL_WEIGHT } from '../schema/primitives.js';
import { type AttributeGetter, type Clock, compileAttribute } from './attribute.js';
import type { ServeTarget } from './serve.js';
import { type Bucketer, NO_SUBJECT_WEIGHTS } from './subject-weights.js';
import { pick, sortedVariantNames, thresholds } from './weights.js';

/**
 * An experiment ready to allocate subjects. A subject takes part when the experiment
 * is running and its bucket under `seed + ":allocation"` is below `allocation`; its
 * variant comes from its bucket under `seed`, so changing the allocation never moves
 * a participant to another variant.
 */
export class CompiledExperiment {
  readonly key: string;
  private readonly start: number;
  private readonly end: number;
  private readonly allocation: number;
  private readonly get: AttributeGetter;
  private readonly allocationHasher: Bucketer;
  private readonly variantHasher: Bucketer;
  /** The weight table the experiment is balanced by. */
  readonly weightedBy: string | undefined;
  private readonly thresholds: Float64Array;
  readonly results: readonly Served[];

  constructor(flag: ServeTarget, source: Experiment) {
    this.key = source.key;
    this.start = source.start === undefined ? Number.NEGATIVE_INFINITY : Date.parse(source.start);
    this.end = source.end === undefined ? Number.POSITIVE_INFINITY : Date.parse(source.end);
    this.allocation = source.allocation ?? TOTAL_WEIGHT;
    this.get = compileAttribute(source.bucketBy ?? 'targetingKey');
    const seed = source.seed ?? source.key;
    const weights = flag.weights ?? NO_SUBJECT_WEIGHTS;
    this.weightedBy = source.weightedBy;
    this.allocationHasher = weights.bucketer(source.weightedBy, `${seed}:allocation`);
    this.variantHasher = weights.bucketer(source.weightedBy, seed);
    const names = sortedVariantNames(source.variants);
    this.thresholds = thresholds(names, source.variants);
    this.results = names.map((v) =>
      makeResult(flag.key, flag.variants[v] ?? null, v, 'SPLIT', undefined, source.key),
    );
  }

  /** Whether the experiment runs at `now` (NaN, an unknown time, runs only an unbounded experiment). */
  isRunning(now: number): boolean {
    if (Number.isNaN(now))
      return this.start === Number.NEGATIVE_INFINITY && this.end === Number.POSITIVE_INFINITY;
    return now >= this.start && now < this.end;
  }

  /** The result for a participant, or undefined when the subject is not allocated. */
  allocate(ctx: EvaluationContext, clock: Clock): Served | undefined {
    if (!this.isRunning(clock.now)) return undefined;
    const raw = this.get(ctx, clock);
    const value =
      typeof raw === 'string'
        ? raw
        : typeof raw === 'number' && Number.isFinite(raw)
          ? String(raw)
          : undefined;
    if (value === undefined) return undefined;
    if (this.allocationHasher.bucket(value) >= this.allocation) return undefined;
    return this.results[pick(this.thresholds, this.variantHasher.bucket(value))];
  }
}
