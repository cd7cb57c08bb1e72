import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Condition } from '../schema/condition.js';

/** A flag serving `on` when all `conditions` hold, `off` otherwise. */
function flagSet(conditions: Condition[]) {
  return {
    flags: {
      f: {
        type: 'boolean' as const,
        enabled: true,
        rules: [{ conditions, serve: { variant: 'on' } }],
        defaultServe: { variant: 'off' },
      },
    },
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.resetModules();
});

describe('generated rule matchers', () => {
  it('never run a value as code: values that look like JavaScript are compared as strings', async () => {
    const { evaluate, parseFlagSet } = await import('../index.js');
    const hostile = '"); globalThis.vexilPwned = true; ("';
    const set = parseFlagSet(
      flagSet([
        { attribute: 'plan', op: 'eq', value: hostile },
        { attribute: 'note', op: 'endsWith', value: "\\'`$" + '{globalThis.vexilPwned = true}`\u2028' },
      ]),
    );
    const ctx = { plan: hostile, note: "x\\'`$" + '{globalThis.vexilPwned = true}`\u2028' };
    expect(evaluate(set, 'f', ctx).variant).toBe('on');
    expect(evaluate(set, 'f', { plan: 'pro', note: '' }).variant).toBe('off');
    expect((globalThis as { vexilPwned?: boolean }).vexilPwned).toBeUndefined();
  });

  it('read attributes whose names are not identifiers through the interpreter', async () => {
    const { evaluate, parseFlagSet } = await import('../index.js');
    const set = parseFlagSet(
      flagSet([
        { attribute: 'a-b', op: 'eq', value: 1 },
        { attribute: 'x"]; throw 1; //', op: 'exists' },
        { attribute: '$ok', op: 'in', values: [true] },
      ]),
    );
    expect(evaluate(set, 'f', { 'a-b': 1, 'x"]; throw 1; //': 0, $ok: true }).variant).toBe('on');
    expect(evaluate(set, 'f', { 'a-b': 1, $ok: true }).variant).toBe('off');
  });

  it('read names every object inherits (constructor, __proto__, toString) as own properties only, as the interpreter does', async () => {
    const { evaluate, parseFlagSet } = await import('../index.js');
    for (const attribute of ['constructor', '__proto__', 'toString', 'valueOf']) {
      for (const condition of [
        { attribute, op: 'exists' },
        { attribute, op: 'notIn', values: ['x'] },
        { attribute, op: 'neq', value: 'x' },
        { attribute, op: 'eq', value: 'y' },
        { attribute, op: 'endsWith', value: 'y' },
      ] as Condition[]) {
        const generated = parseFlagSet(flagSet([condition]));
        const interpreted = parseFlagSet(flagSet([condition]), { generateCode: false });
        for (const ctx of [{}, JSON.parse(`{"${attribute}": "y"}`), Object.create(null)]) {
          const expected = evaluate(interpreted, 'f', ctx).variant;
          expect([attribute, condition.op, evaluate(generated, 'f', ctx).variant]).toEqual([
            attribute,
            condition.op,
            expected,
          ]);
        }
      }
    }
  });

  it('are not made when code generation is refused (a Content-Security-Policy without unsafe-eval): rules are interpreted', async () => {
    const { evaluate, parseFlagSet } = await import('../index.js');
    const { CompiledFlagSet } = await import('./flag-set.js');
    const conditions: Condition[] = [{ attribute: 'seats', op: 'gt', value: 100 }];
    // zod, too, asks once whether it may generate code: let it ask before the refusals start.
    parseFlagSet(flagSet(conditions), { generateCode: false });
    vi.stubGlobal('Function', function refused() {
      throw new EvalError('Refused to evaluate a string as JavaScript');
    });
    const set = parseFlagSet(flagSet(conditions));
    expect(
      (set as InstanceType<typeof CompiledFlagSet>).defaultEnvironment.flags.get('f')?.match,
    ).toBeUndefined();
    expect(evaluate(set, 'f', { seats: 101 }).variant).toBe('on');
    expect(evaluate(set, 'f', { seats: 100 }).variant).toBe('off');
  });

  it('are not made with generateCode: false', async () => {
    const { parseFlagSet } = await import('../index.js');
    const { CompiledFlagSet } = await import('./flag-set.js');
    const conditions: Condition[] = [{ attribute: 'seats', op: 'gt', value: 100 }];
    const on = parseFlagSet(flagSet(conditions)) as InstanceType<typeof CompiledFlagSet>;
    const off = parseFlagSet(flagSet(conditions), { generateCode: false }) as InstanceType<
      typeof CompiledFlagSet
    >;
    expect(on.defaultEnvironment.flags.get('f')?.match).toBeTypeOf('function');
    expect(off.defaultEnvironment.flags.get('f')?.match).toBeUndefined();
  });
});
