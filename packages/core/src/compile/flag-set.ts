import type { FlagSetDefinition } from '../schema/flag-set.js';
import type { SegmentLookup } from './condition.js';
import { type CompiledEnvironment, compileEnvironment } from './environment.js';
import { compileSegments } from './segment.js';
import { SubjectWeights } from './subject-weights.js';

/** The environment evaluated when neither the caller nor the set names one. */
export const DEFAULT_ENVIRONMENT = 'default';

/**
 * A parsed, validated and compiled flag set. Immutable; compile it once and evaluate
 * it as often as you like. Get one from `parseFlagSet` or `safeParseFlagSet`.
 */
export interface FlagSet {
  /** The validated definition, deeply frozen. */
  readonly definition: FlagSetDefinition;
  /** The set's version (0 when it has none). */
  readonly version: number;
  /** The environment evaluated by default. */
  readonly environment: string;
  /** Keys of every flag, archived ones included. */
  readonly keys: readonly string[];
}

const BRAND: unique symbol = Symbol('vexil.FlagSet');

/** The implementation behind `FlagSet`: compiles each environment on first use. */
export class CompiledFlagSet implements FlagSet {
  readonly [BRAND] = true;
  readonly version: number;
  readonly environment: string;
  readonly keys: readonly string[];
  private readonly segments: SegmentLookup;
  /** Weight tables, laid out per seed on first use and shared by every environment. */
  private readonly weights: SubjectWeights;
  private readonly environments = new Map<string, CompiledEnvironment>();
  /** Environments some flag configures; any other name evaluates the flag-level settings. */
  private readonly configured: ReadonlySet<string>;
  /** The set compiled for environments no flag configures (shared, so asking for many names costs nothing). */
  private unconfigured: CompiledEnvironment | undefined;
  /** The default environment, compiled. */
  readonly defaultEnvironment: CompiledEnvironment;

  constructor(
    readonly definition: FlagSetDefinition,
    /** Whether rules may be compiled to JavaScript functions (see generate-matcher.ts). */
    private readonly generateCode = true,
  ) {
    this.version = definition.version ?? 0;
    this.environment = definition.environment ?? DEFAULT_ENVIRONMENT;
    this.keys = Object.freeze(Object.keys(definition.flags));
    this.segments = compileSegments(definition.segments ?? {});
    this.weights = new SubjectWeights(definition.subjectWeights ?? {});
    this.configured = new Set(
      Object.values(definition.flags).flatMap((flag) => Object.keys(flag.environments ?? {})),
    );
    this.defaultEnvironment = this.compile(this.environment);
    this.environments.set(this.environment, this.defaultEnvironment);
  }

  /** The set compiled for an environment (the default one when `name` is undefined). */
  compiled(name: string | undefined): CompiledEnvironment {
    if (name === undefined) return this.defaultEnvironment;
    let env = this.environments.get(name);
    if (env !== undefined) return env;
    if (!this.configured.has(name)) {
      this.unconfigured ??= this.compile(name);
      return this.unconfigured;
    }
    env = this.compile(name);
    this.environments.set(name, env);
    return env;
  }

  private compile(name: string): CompiledEnvironment {
    return compileEnvironment(this.definition, name, this.segments, this.weights, this.generateCode);
  }
}

/**
 * Whether `value` is a set from `parseFlagSet`. A brand, not `instanceof`: where the class
 * has been renamed back after transpiling (esbuild's `keepNames`, as tsx and many bundles
 * use), V8 no longer compiles `instanceof` to a prototype check, and the generic lookup it
 * falls back to cost a third of a simple flag's evaluation.
 */
export function isCompiledFlagSet(value: unknown): value is CompiledFlagSet {
  return typeof value === 'object' && value !== null && (value as { [BRAND]?: boolean })[BRAND] === true;
}
