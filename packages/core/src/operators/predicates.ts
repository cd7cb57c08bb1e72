import type { Operator } from '../schema/operators.js';
import { toEpochMillis } from './instant.js';
import { compilePattern, type Pattern } from './pattern.js';
import { compareSemver, parseSemver, type SemVer } from './semver.js';

/** A predicate's verdict on one value: it matched, it didn't, or the value is the wrong kind. */
export const MATCH = 1;
export const NO_MATCH = 0;
export const NOT_APPLICABLE = -1;
export type Verdict = typeof MATCH | typeof NO_MATCH | typeof NOT_APPLICABLE;

/** Tests one non-null context value against a condition's values (any of them). */
export type Predicate = (actual: unknown) => Verdict;

type Scalar = string | number | boolean;

/**
 * Builds the predicate for a positive operator. `neq` and `notIn` are `eq` and `in`
 * negated, so they are not here; `exists` and `segment` don't look at a value.
 * Values were checked at parse time, so they have the right kinds.
 */
export function compilePredicate(
  op: Exclude<Operator, 'neq' | 'notIn' | 'exists' | 'segment'>,
  values: readonly Scalar[],
): Predicate {
  switch (op) {
    case 'eq':
    case 'in':
      return membership(values);
    case 'lt': {
      const bound = Math.max(...(values as number[]));
      return (a) => (typeof a === 'number' ? (a < bound ? MATCH : NO_MATCH) : NOT_APPLICABLE);
    }
    case 'lte': {
      const bound = Math.max(...(values as number[]));
      return (a) => (typeof a === 'number' ? (a <= bound ? MATCH : NO_MATCH) : NOT_APPLICABLE);
    }
    case 'gt': {
      const bound = Math.min(...(values as number[]));
      return (a) => (typeof a === 'number' ? (a > bound ? MATCH : NO_MATCH) : NOT_APPLICABLE);
    }
    case 'gte': {
      const bound = Math.min(...(values as number[]));
      return (a) => (typeof a === 'number' ? (a >= bound ? MATCH : NO_MATCH) : NOT_APPLICABLE);
    }
    case 'startsWith':
      return stringTest(values as string[], (a, v) => a.startsWith(v));
    case 'endsWith':
      return stringTest(values as string[], (a, v) => a.endsWith(v));
    case 'contains':
      return stringTest(values as string[], (a, v) => a.includes(v));
    case 'matches': {
      const patterns = values
        .map((v) => compilePattern(v as string))
        .filter((p): p is Pattern => typeof p !== 'string');
      return (a) => {
        if (typeof a !== 'string') return NOT_APPLICABLE;
        for (const p of patterns) if (p.test(a)) return MATCH;
        return NO_MATCH;
      };
    }
    case 'semverEq':
      return semverTest(values, (c) => c === 0);
    case 'semverLt':
      return semverTest(values, (c) => c < 0);
    case 'semverGt':
      return semverTest(values, (c) => c > 0);
    case 'before': {
      const bound = Math.max(...values.map(toEpochMillis));
      return (a) => {
        const t = toEpochMillis(a);
        return Number.isNaN(t) ? NOT_APPLICABLE : t < bound ? MATCH : NO_MATCH;
      };
    }
    case 'after': {
      const bound = Math.min(...values.map(toEpochMillis));
      return (a) => {
        const t = toEpochMillis(a);
        return Number.isNaN(t) ? NOT_APPLICABLE : t > bound ? MATCH : NO_MATCH;
      };
    }
  }
}

function membership(values: readonly Scalar[]): Predicate {
  if (values.length === 1) {
    const only = values[0];
    return (a) => (typeof a === 'object' ? NOT_APPLICABLE : a === only ? MATCH : NO_MATCH);
  }
  const set = new Set<unknown>(values);
  return (a) => (typeof a === 'object' ? NOT_APPLICABLE : set.has(a) ? MATCH : NO_MATCH);
}

function stringTest(values: readonly string[], test: (actual: string, value: string) => boolean): Predicate {
  if (values.length === 1) {
    const only = values[0]!;
    return (a) => (typeof a === 'string' ? (test(a, only) ? MATCH : NO_MATCH) : NOT_APPLICABLE);
  }
  return (a) => {
    if (typeof a !== 'string') return NOT_APPLICABLE;
    for (const v of values) if (test(a, v)) return MATCH;
    return NO_MATCH;
  };
}

function semverTest(values: readonly Scalar[], accept: (comparison: number) => boolean): Predicate {
  const versions = values.map((v) => parseSemver(String(v))).filter((v): v is SemVer => v !== undefined);
  return (a) => {
    if (typeof a !== 'string') return NOT_APPLICABLE;
    const actual = parseSemver(a);
    if (actual === undefined) return NOT_APPLICABLE;
    for (const v of versions) if (accept(compareSemver(actual, v))) return MATCH;
    return NO_MATCH;
  };
}
