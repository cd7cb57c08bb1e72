import type { Condition } from '@vexil/core';
import { conditionValues, splitValues } from './flag.js';

/** Operators whose values may be numbers or booleans (the others compare strings). */
const TYPED_OPS = new Set(['eq', 'neq', 'in', 'notIn', 'lt', 'lte', 'gt', 'gte', 'before', 'after']);

/** A condition as a person edits it: values as text. */
export interface ConditionDraft {
  /** Identifies the row while it is edited (React key). */
  readonly key: number;
  attribute: string;
  op: Condition['op'];
  values: string;
  negate: boolean;
}

let nextKey = 1;

export function draftCondition(c?: Condition): ConditionDraft {
  const key = nextKey++;
  if (c === undefined) return { key, attribute: '', op: 'eq', values: '', negate: false };
  return {
    key,
    attribute: c.attribute ?? '',
    op: c.op,
    values: conditionValues(c)
      .map((v) =>
        typeof v === 'string' && TYPED_OPS.has(c.op) && /^(-?\d+(\.\d+)?|true|false)$/.test(v)
          ? `"${v}"`
          : String(v),
      )
      .join(', '),
    negate: c.negate === true,
  };
}

/**
 * The condition a draft means. Values are comma-separated; for comparisons, `42` and `true`
 * are a number and a boolean, and `"42"` (quoted) stays a string.
 */
export function buildCondition(d: ConditionDraft): Condition {
  const condition: Condition = { op: d.op };
  if (d.op !== 'segment') condition.attribute = d.attribute.trim();
  if (d.op !== 'exists') {
    const values = splitValues(d.values, TYPED_OPS.has(d.op));
    if (values.length === 1 && d.op !== 'in' && d.op !== 'notIn') condition.value = values[0]!;
    else condition.values = values;
  }
  if (d.negate) condition.negate = true;
  return condition;
}
