import type { CompiledEnvironment } from '../compile/environment.js';
import type { CompiledFlag } from '../compile/flag.js';
import { type CompiledFlagSet, type FlagSet, isCompiledFlagSet } from '../compile/flag-set.js';
import { holdBucketValue, releaseBucketValue } from '../hash/bucket.js';
import { safeParseFlagSet } from '../parse/parse-flag-set.js';
import type { FlagType } from '../schema/flag.js';
import type { FlagSetInput } from '../schema/flag-set.js';
import type { JsonValue } from '../schema/primitives.js';
import { EMPTY_CONTEXT, type EvaluationContext } from './context.js';
import { acquireResolver, releaseResolver } from './resolver.js';
import { type EvaluationResult, errorResult, withDefaultValue, withTrace } from './result.js';
import type { TraceStep } from './trace.js';

/** Options for one evaluation. None is required; pass `now` for anything time-based. */
export interface EvaluateOptions<T = JsonValue> {
  /** Environment to evaluate; defaults to the set's `environment`. */
  environment?: string;
  /**
   * The evaluation time, for ramps, schedules, experiment windows and `$now`. The core
   * reads no clock: without `now`, ramps and schedules use their starting weights,
   * bounded experiments don't run and `$now` is missing.
   */
  now?: number | Date;
  /** Served when the flag can't be evaluated or serves no variant; its type is the expected type. */
  defaultValue?: T;
  /** Expected flag type (when there is no `defaultValue` to infer it from). */
  type?: FlagType;
  /** Attach a rule-by-rule explanation to the result. */
  trace?: boolean;
  /** Random source for non-sticky rollouts (default `Math.random`). */
  random?: () => number;
}

/**
 * Evaluates one flag for a context. Never throws.
 * @example
 * const set = parseFlagSet(json);
 * const { value, reason } = evaluate(set, 'new-checkout', { targetingKey: 'user-42' }, { defaultValue: false });
 */
export function evaluate<T = JsonValue | undefined>(
  flagSet: FlagSet | FlagSetInput,
  key: string,
  context?: EvaluationContext,
  options?: EvaluateOptions<T>,
): EvaluationResult<T> {
  if (options === null) options = undefined; // JavaScript callers may pass null
  const defaultValue = options?.defaultValue;
  const name = options?.environment;
  // The common case in line: a parsed set's default environment (environmentOf is not inlined).
  const env =
    name === undefined && isCompiledFlagSet(flagSet)
      ? flagSet.defaultEnvironment
      : environmentOf(flagSet, name);
  if (typeof env === 'string')
    return errorResult(key, defaultValue, 'PARSE_ERROR', env) as EvaluationResult<T>;
  const flag = env.flags.get(key);
  if (flag === undefined || flag.archived) {
    return errorResult(
      key,
      defaultValue,
      'FLAG_NOT_FOUND',
      `flag ${JSON.stringify(key)} not found`,
    ) as EvaluationResult<T>;
  }
  const expected = options === undefined ? undefined : (options.type ?? typeOfValue(defaultValue));
  if (expected !== undefined && expected !== flag.type) {
    return errorResult(
      key,
      defaultValue,
      'TYPE_MISMATCH',
      `flag ${JSON.stringify(key)} is a ${flag.type} flag, not ${expected}`,
    ) as EvaluationResult<T>;
  }
  const ctx = contextOf(context);
  if (ctx === undefined)
    return errorResult(
      key,
      defaultValue,
      'INVALID_CONTEXT',
      'the context must be an object',
    ) as EvaluationResult<T>;
  // A flag that serves everyone the same variant needs no resolver (nor a trace, unless asked for).
  const fixed = flag.staticResult;
  if (fixed !== undefined && options?.trace !== true) return fixed as EvaluationResult<T>;
  try {
    return run(env, flag, ctx, options) as EvaluationResult<T>;
  } catch (error) {
    // A context's getter, a proxy or a random source may throw; evaluation still must not.
    return errorResult(key, defaultValue, 'GENERAL', failure(error)) as EvaluationResult<T>;
  }
}

/** Options for `evaluateAll`. */
export interface EvaluateAllOptions extends Omit<EvaluateOptions, 'defaultValue' | 'type'> {
  /** Only flags marked `clientVisible` (what a client key may see). */
  clientVisibleOnly?: boolean;
}

/**
 * Evaluates every flag that is not archived, in the set's order; each result carries its
 * flag's key. Never throws; a flag set that can't be used gives an empty list.
 * @example
 * for (const { key, value } of evaluateAll(set, { targetingKey: 'user-42' })) console.log(key, value);
 */
export function evaluateAll(
  flagSet: FlagSet | FlagSetInput,
  context?: EvaluationContext,
  options?: EvaluateAllOptions,
): EvaluationResult[] {
  if (options === null) options = undefined; // JavaScript callers may pass null
  const env = environmentOf(flagSet, options?.environment);
  const ctx = contextOf(context);
  if (typeof env === 'string' || ctx === undefined) return [];
  const live = env.live;
  const results = new Array<EvaluationResult>(live.length);
  let count = 0;
  const clientOnly = options?.clientVisibleOnly === true;
  // Flags often share conditions (the same segment, the same country list): test each once per call.
  const memo = new Uint8Array(env.conditionCount);
  // And most bucket by the targeting key: encode it once, not once per flag.
  try {
    holdBucketValue(ctx.targetingKey);
  } catch {
    // A hostile context (a throwing getter or proxy): each flag below reports the error.
  }
  const tracing = options?.trace === true;
  const resolver = acquireResolver(timeOf(options?.now), options?.random ?? Math.random, undefined, memo);
  try {
    for (let i = 0; i < live.length; i++) {
      const flag = live[i]!;
      if (clientOnly && !flag.clientVisible) continue;
      // Not `results[count++] = resolve(…)`: the index is taken before resolve() may throw.
      let result: EvaluationResult;
      try {
        if (tracing) resolver.trace = [];
        result = resolver.resolve(env, flag, ctx, 0) as EvaluationResult;
        if (tracing) result = withTrace(result, resolver.trace!);
      } catch (error) {
        result = errorResult(flag.key, undefined, 'GENERAL', failure(error)) as EvaluationResult;
      }
      results[count++] = result;
    }
  } finally {
    releaseResolver(resolver);
    releaseBucketValue();
  }
  results.length = count;
  return results;
}

function run(
  env: CompiledEnvironment,
  flag: CompiledFlag,
  ctx: EvaluationContext,
  options: EvaluateOptions<unknown> | undefined,
): EvaluationResult<unknown> {
  if (options === undefined) {
    const resolver = acquireResolver(Number.NaN, Math.random, undefined, undefined);
    try {
      return resolver.resolve(env, flag, ctx, 0);
    } finally {
      releaseResolver(resolver);
    }
  }
  const trace: TraceStep[] | undefined = options.trace === true ? [] : undefined;
  const now = options.now;
  const resolver = acquireResolver(
    now === undefined ? Number.NaN : timeOf(now),
    options.random ?? Math.random,
    trace,
    undefined,
  );
  let result: EvaluationResult<unknown>;
  try {
    result = resolver.resolve(env, flag, ctx, 0);
  } finally {
    releaseResolver(resolver);
  }
  if (result.variant === undefined && options.defaultValue !== undefined)
    result = withDefaultValue(result, options.defaultValue);
  return trace === undefined ? result : withTrace(result, trace);
}

const parsedInputs = new WeakMap<object, CompiledFlagSet | string>();

/** The compiled environment, or why there is none. Accepts raw definitions too (compiled once, cached). */
function environmentOf(input: unknown, name: string | undefined): CompiledEnvironment | string {
  if (isCompiledFlagSet(input)) return name === undefined ? input.defaultEnvironment : input.compiled(name);
  if (typeof input !== 'object' || input === null) return 'no flag set: expected the result of parseFlagSet';
  let cached = parsedInputs.get(input);
  if (cached === undefined) {
    const parsed = safeParseFlagSet(input);
    cached = parsed.success ? (parsed.data as CompiledFlagSet) : parsed.error.message;
    parsedInputs.set(input, cached);
  }
  return typeof cached === 'string' ? cached : cached.compiled(name);
}

function contextOf(context: unknown): EvaluationContext | undefined {
  if (context === undefined || context === null) return EMPTY_CONTEXT;
  return typeof context === 'object' && !Array.isArray(context) ? (context as EvaluationContext) : undefined;
}

function timeOf(now: number | Date | undefined): number {
  if (now === undefined) return Number.NaN;
  return typeof now === 'number' ? now : now instanceof Date ? now.getTime() : Number.NaN;
}

/** Written as `typeof value === '…'` tests, which V8 compiles to type checks (a `switch` computes the name). */
function typeOfValue(value: unknown): FlagType | undefined {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'number') return 'number';
  return typeof value === 'object' ? 'json' : undefined;
}

function failure(error: unknown): string {
  return `evaluation failed: ${error instanceof Error ? error.message : 'something other than an Error was thrown'}`;
}
