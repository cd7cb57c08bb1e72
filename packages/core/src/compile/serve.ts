import { makeResult, type Served } from '../evaluate/result.js';
import type { JsonValue } from '../schema/primitives.js';
import type { Serve } from '../schema/rollout.js';
import { CompiledRollout } from './rollout.js';
import type { SubjectWeights } from './subject-weights.js';

/** What a rule or the default serves, with every possible result built in advance. */
export type CompiledServe =
  | { readonly kind: 'variant'; readonly result: Served }
  | { readonly kind: 'rollout'; readonly rollout: CompiledRollout; readonly results: readonly Served[] };

export interface ServeTarget {
  readonly key: string;
  readonly variants: Readonly<Record<string, JsonValue>>;
  /** The set's weight tables, for rollouts and experiments with `weightedBy`. */
  readonly weights?: SubjectWeights | undefined;
}

/** Compiles a serve; `ruleId` is undefined for the default serve. */
export function compileServe(
  flag: ServeTarget,
  serve: Serve,
  variantReason: 'STATIC' | 'DEFAULT' | 'TARGETING_MATCH',
  ruleId?: string,
): CompiledServe {
  if (serve.rollout !== undefined) {
    const rollout = new CompiledRollout(serve.rollout, flag.key, flag.weights);
    const results = rollout.variants.map((v) =>
      makeResult(flag.key, flag.variants[v] ?? null, v, 'SPLIT', ruleId),
    );
    return { kind: 'rollout', rollout, results };
  }
  const variant = serve.variant!;
  return {
    kind: 'variant',
    result: makeResult(flag.key, flag.variants[variant] ?? null, variant, variantReason, ruleId),
  };
}
