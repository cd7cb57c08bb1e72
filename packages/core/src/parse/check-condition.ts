import { toEpochMillis } from '../operators/instant.js';
import { compilePattern } from '../operators/pattern.js';
import { parseSemver } from '../operators/semver.js';
import type { Condition } from '../schema/condition.js';
import type { Operator } from '../schema/operators.js';
import type { FlagSetIssue } from './issue.js';

type Path = readonly (string | number)[];
type Scalar = string | number | boolean;

/** What each operator needs of its values; `undefined` means any scalar. */
export const VALUE_KIND: Partial<
  Record<Operator, 'number' | 'string' | 'semver' | 'instant' | 'pattern' | 'segment'>
> = {
  lt: 'number',
  lte: 'number',
  gt: 'number',
  gte: 'number',
  startsWith: 'string',
  endsWith: 'string',
  contains: 'string',
  matches: 'pattern',
  semverEq: 'semver',
  semverLt: 'semver',
  semverGt: 'semver',
  before: 'instant',
  after: 'instant',
  segment: 'segment',
};

/** The values of a condition, whichever spelling was used. */
export function conditionValues(condition: Condition): readonly Scalar[] {
  if (condition.values !== undefined) return condition.values;
  return condition.value === undefined ? [] : [condition.value];
}

/** Checks what the schema can't: values that suit the operator, known segments. */
export function checkCondition(
  condition: Condition,
  path: Path,
  segmentKeys: ReadonlySet<string>,
  issues: FlagSetIssue[],
): void {
  const { op } = condition;
  if (condition.value !== undefined && condition.values !== undefined) {
    issues.push({ path, message: 'give "value" or "values", not both' });
    return;
  }
  if (op === 'segment') {
    if (condition.attribute !== undefined) {
      issues.push({ path: [...path, 'attribute'], message: 'the segment operator takes no attribute' });
    }
  } else if (condition.attribute === undefined) {
    issues.push({ path: [...path, 'attribute'], message: `the ${op} operator needs an attribute` });
  }
  const values = conditionValues(condition);
  const valuesPath = condition.values !== undefined ? [...path, 'values'] : [...path, 'value'];
  if (op === 'exists') {
    if (values.length > 0) issues.push({ path: valuesPath, message: 'the exists operator takes no value' });
    return;
  }
  if (values.length === 0) {
    issues.push({ path: [...path, 'values'], message: `the ${op} operator needs at least one value` });
    return;
  }
  const kind = VALUE_KIND[op];
  if (kind === undefined) return;
  values.forEach((value, i) => {
    const at = condition.values !== undefined ? [...valuesPath, i] : valuesPath;
    const problem = checkValue(kind, value, segmentKeys);
    if (problem !== undefined) issues.push({ path: at, message: problem });
  });
}

function checkValue(
  kind: NonNullable<(typeof VALUE_KIND)[Operator]>,
  value: Scalar,
  segmentKeys: ReadonlySet<string>,
): string | undefined {
  switch (kind) {
    case 'number':
      return typeof value === 'number' ? undefined : `expected a number, got ${JSON.stringify(value)}`;
    case 'string':
      return typeof value === 'string' ? undefined : `expected a string, got ${JSON.stringify(value)}`;
    case 'semver':
      return typeof value === 'string' && parseSemver(value) !== undefined
        ? undefined
        : `expected a semantic version like "1.4.0", got ${JSON.stringify(value)}`;
    case 'instant':
      return Number.isNaN(toEpochMillis(value)) || typeof value === 'boolean'
        ? `expected an ISO 8601 date-time with a zone or epoch milliseconds, got ${JSON.stringify(value)}`
        : undefined;
    case 'pattern': {
      if (typeof value !== 'string') return `expected a pattern string, got ${JSON.stringify(value)}`;
      const compiled = compilePattern(value);
      return typeof compiled === 'string' ? compiled : undefined;
    }
    case 'segment':
      if (typeof value !== 'string') return `expected a segment key, got ${JSON.stringify(value)}`;
      return segmentKeys.has(value) ? undefined : `unknown segment ${JSON.stringify(value)}`;
  }
}
