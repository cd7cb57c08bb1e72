import type { EvaluationContext } from '../evaluate/context.js';
import type { Clock } from './attribute.js';
import { type CompiledCondition, Kind } from './condition.js';

/** The index of the first rule whose conditions all hold, or -1 when none does. */
export type RuleMatcher = (ctx: EvaluationContext, clock: Clock) => number;

/**
 * Turns a flag's rules into one JavaScript function (`new Function`), which V8 compiles
 * like hand-written code: each attribute is a named property read (`ctx.country`), the
 * common comparisons are inline, and rules are tested in order with `&&`. What a
 * condition compares with never becomes source text — flag data is untrusted — but is
 * read from an array the function closes over (`v[3]`); anything without an inline form
 * (segments, patterns, versions, dates, dotted paths, arrays, values of an unexpected
 * type) calls the interpreter's own condition (`c[1].test(…)`). An attribute name is
 * written into the source only when it is a plain identifier (`/^[A-Za-z_$][\w$]*$/`),
 * which can't escape `ctx.name`. Returns undefined when code generation is not
 * allowed (a Content-Security-Policy without 'unsafe-eval'): the interpreter is used.
 */
export function generateMatcher(
  rules: readonly (readonly CompiledCondition[])[],
  factories: Map<string, MatcherFactory>,
): RuleMatcher | undefined {
  if (!codeGenerationAllowed()) return undefined;
  const conditions: CompiledCondition[] = [];
  const operands: unknown[] = [];
  const tests = rules.map((rule, i) => {
    const all = rule.map((condition) => {
      conditions.push(condition);
      return inlineTest(condition, conditions.length - 1, operands);
    });
    return `  if (${all.length === 0 ? 'true' : all.join(' && ')}) return ${i};`;
  });
  const source = `"use strict";\nreturn function match(ctx, clock) {\n  let x;\n${tests.join('\n')}\n  return -1;\n};`;
  // Flags with rules of the same shape share one factory, and so their compiled code.
  let factory = factories.get(source);
  if (factory === undefined) {
    try {
      factory = new Function('c', 'v', source) as MatcherFactory;
    } catch {
      return undefined;
    }
    factories.set(source, factory);
  }
  return factory(conditions, operands);
}

/** What `new Function` returns for a matcher's source: given the conditions and operands, the matcher. */
export type MatcherFactory = (
  conditions: readonly CompiledCondition[],
  operands: readonly unknown[],
) => RuleMatcher;

let allowed: boolean | undefined;

/** Whether `new Function` works here; asked once (a refusal may be reported by the browser). */
function codeGenerationAllowed(): boolean {
  if (allowed === undefined) {
    try {
      allowed = new Function('return true')() === true;
    } catch {
      allowed = false;
    }
  }
  return allowed;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

const COMPARISONS: Partial<Record<Kind, string>> = {
  [Kind.Less]: '<',
  [Kind.AtMost]: '<=',
  [Kind.Greater]: '>',
  [Kind.AtLeast]: '>=',
};

const STRING_METHODS: Partial<Record<Kind, string>> = {
  [Kind.StartsWith]: 'startsWith',
  [Kind.EndsWith]: 'endsWith',
  [Kind.Contains]: 'includes',
};

/**
 * A JavaScript expression that is true when condition `c[index]` holds, exactly as its
 * `test` says: the inline part handles an attribute of the type the operator expects
 * and hands every other value to the condition's `check`.
 */
function inlineTest(condition: CompiledCondition, index: number, operands: unknown[]): string {
  const { name, kind, invert } = condition;
  const self = `c[${index}]`;
  if (name === undefined || !IDENTIFIER.test(name)) return `${self}.test(ctx, clock)`;
  const operand = (value: unknown): string => `v[${operands.push(value) - 1}]`;
  const inline = (type: string, holds: string): string =>
    `(typeof (x = ctx.${name}) === "${type}" ? ${invert ? `!(${holds})` : holds} : x !== undefined && ${self}.check(x))`;
  const comparison = COMPARISONS[kind];
  if (comparison !== undefined) return inline('number', `x ${comparison} ${operand(condition.bound)}`);
  const method = STRING_METHODS[kind];
  if (method !== undefined) return inline('string', `x.${method}(${operand(condition.text)})`);
  if (kind === Kind.EqualsOne || kind === Kind.InFew) {
    const values = kind === Kind.EqualsOne ? [condition.one] : condition.few;
    const type = typeof values[0];
    if (
      values.every((v) => typeof v === type) &&
      (type === 'string' || type === 'number' || type === 'boolean')
    )
      return inline(type, values.map((v) => `x === ${operand(v)}`).join(' || '));
  }
  return `${self}.check(ctx.${name})`;
}
