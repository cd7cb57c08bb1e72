// The sentences of a trace, one function per step; only called when tracing.
import type { Clock } from '../compile/attribute.js';
import type { CompiledExperiment } from '../compile/experiment.js';
import type { CompiledOverride, CompiledPrerequisite, CompiledRule } from '../compile/flag.js';
import type { CompiledRollout } from '../compile/rollout.js';
import { describeWeighting } from '../compile/subject-weights.js';
import type { EvaluationContext } from './context.js';
import type { Served } from './result.js';
import type { ConditionTrace, TraceStep } from './trace.js';

export const tooDeep = (max: number): string => `prerequisites nest deeper than ${max} flags`;

const quote = (value: unknown): string => JSON.stringify(value);

function describeVariant(result: Served): string {
  return result.variant === undefined ? "the caller's default" : quote(result.variant);
}

/** A targeting key in a trace; only a string can be one (and JSON.stringify throws on a BigInt). */
function describeKey(key: unknown): string {
  return typeof key === 'string' ? quote(key) : `(${typeof key})`;
}

export const staticResult = (result: Served): TraceStep => ({
  step: 'default',
  matched: true,
  detail: `enabled with nothing to decide: serves ${quote(result.variant)}`,
});

export const disabled = (off: Served): TraceStep => ({
  step: 'disabled',
  matched: true,
  detail: `disabled: serves ${describeVariant(off)}`,
});

export const prerequisite = (
  prerequisite: CompiledPrerequisite,
  outcome: Served | undefined,
  met: boolean,
): TraceStep => ({
  step: 'prerequisite',
  id: prerequisite.flag,
  matched: !met,
  detail:
    outcome === undefined
      ? `prerequisite ${quote(prerequisite.flag)} does not exist: not met`
      : `prerequisite ${quote(prerequisite.flag)} served ${describeVariant(outcome)} (${outcome.reason}); needs ${[
          ...prerequisite.variants,
        ]
          .map(quote)
          .join(' or ')}: ${met ? 'met' : 'not met'}`,
});

export const target = (key: unknown, result: Served | undefined): TraceStep => ({
  step: 'target',
  matched: result !== undefined,
  detail:
    result === undefined
      ? `targeting key ${describeKey(key)} is not an individual target`
      : `targeting key ${quote(key)} is targeted to ${quote(result.variant)}`,
});

export const override = (override: CompiledOverride, inside: boolean): TraceStep => ({
  step: 'override',
  id: override.segment,
  matched: inside,
  detail: `${inside ? 'in' : 'not in'} segment ${quote(override.segment)}${inside ? `: serves ${quote(override.result.variant)}` : ''}`,
});

export const experiment = (
  experiment: CompiledExperiment,
  now: number,
  allocated: Served | undefined,
): TraceStep => ({
  step: 'experiment',
  id: experiment.key,
  matched: allocated !== undefined,
  detail: !experiment.isRunning(now)
    ? `experiment ${quote(experiment.key)} is not running`
    : allocated === undefined
      ? `not allocated to experiment ${quote(experiment.key)}${weightedBy(experiment)}`
      : `allocated to experiment ${quote(experiment.key)}${weightedBy(experiment)}: serves ${quote(allocated.variant)}`,
});

const weightedBy = (experiment: CompiledExperiment): string =>
  experiment.weightedBy === undefined ? '' : ` (weighted by table ${quote(experiment.weightedBy)})`;

export const rule = (rule: CompiledRule, matched: boolean, conditions: ConditionTrace[]): TraceStep => ({
  step: 'rule',
  id: rule.id,
  matched,
  conditions,
  detail: matched
    ? `rule ${quote(rule.id)} matched`
    : `rule ${quote(rule.id)} did not match: condition ${conditions.length - 1} is false`,
});

export const defaultVariant = (result: Served): TraceStep => ({
  step: 'default',
  matched: true,
  detail: `no rule matched: default serves ${describeVariant(result)}`,
});

export const missingBucketAttribute = (attribute: string): TraceStep => ({
  step: 'default',
  matched: true,
  detail: `rollout needs attribute ${quote(attribute)}, which is missing`,
});

export const rollout = (
  result: Served,
  rollout: CompiledRollout,
  ctx: EvaluationContext,
  clock: Clock,
): TraceStep => ({
  step: 'default',
  matched: true,
  detail: `${result.ruleId === undefined ? 'default' : `rule ${quote(result.ruleId)}`} rollout by ${quote(rollout.bucketBy)}${rollout.weightedBy === undefined ? '' : describeWeighting(rollout.hasher, rollout.weightedBy, rollout.bucketValue(ctx, clock))}: serves ${quote(result.variant)}`,
});

export const needsTargetingKey = (flag: string): string =>
  `flag ${quote(flag)} needs a targetingKey to bucket by`;

export const needsAttribute = (flag: string, attribute: string): string =>
  `flag ${quote(flag)} buckets by ${quote(attribute)}, which the context lacks`;
