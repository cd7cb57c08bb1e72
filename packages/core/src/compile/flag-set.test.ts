import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate.js';
import { parseFlagSet } from '../parse/parse-flag-set.js';

function input() {
  return {
    version: 12,
    segments: {
      staff: {
        included: ['s-1'],
        conditions: [{ attribute: 'email', op: 'endsWith' as const, value: '@x.io' }],
      },
    },
    flags: {
      theme: {
        type: 'json' as const,
        variants: {
          dark: { colors: ['#000', '#111'], nested: { deep: { depth: 3 } } },
          light: { colors: [] as string[] },
        },
        enabled: true,
        rules: [{ conditions: [{ op: 'segment' as const, value: 'staff' }], serve: { variant: 'dark' } }],
        defaultServe: { variant: 'light' },
        tags: ['ui'],
      },
    },
  };
}

/** Every object reachable from `value`, itself included. */
function objectsIn(value: unknown, out: object[] = []): object[] {
  if (value !== null && typeof value === 'object') {
    out.push(value);
    for (const child of Object.values(value)) objectsIn(child, out);
  }
  return out;
}

describe('a parsed flag set', () => {
  it('holds a deeply frozen definition, down to the values of json variants', () => {
    const set = parseFlagSet(input());
    const objects = objectsIn(set.definition);
    expect(objects.length).toBeGreaterThan(15);
    expect(objects.filter((o) => !Object.isFrozen(o))).toEqual([]);
  });

  it('throws on an attempt to change its definition (modules are strict)', () => {
    const set = parseFlagSet(input());
    const theme = set.definition.flags.theme!;
    expect(() => {
      (theme as { enabled: boolean }).enabled = false;
    }).toThrow(TypeError);
    expect(() => {
      (theme.tags as string[]).push('x');
    }).toThrow(TypeError);
  });

  it("neither freezes nor keeps the caller's objects", () => {
    const source = input();
    const set = parseFlagSet(source);
    expect(objectsIn(source).filter((o) => Object.isFrozen(o))).toEqual([]);
    expect(set.definition.flags.theme!.variants!.dark).not.toBe(source.flags.theme.variants.dark);
  });

  it("is not affected by later changes to the caller's objects", () => {
    const source = input();
    const set = parseFlagSet(source);
    source.flags.theme.enabled = false;
    source.flags.theme.variants.light.colors.push('#fff');
    source.segments.staff.included.push('u-9');
    expect(evaluate(set, 'theme', { targetingKey: 'u-9' }, { defaultValue: null })).toMatchObject({
      value: { colors: [] },
      reason: 'DEFAULT',
    });
  });

  it('lists its flag keys, frozen, and its version', () => {
    const set = parseFlagSet(input());
    expect(set.keys).toEqual(['theme']);
    expect(Object.isFrozen(set.keys)).toBe(true);
    expect(set.version).toBe(12);
    expect(parseFlagSet({ flags: {} }).version).toBe(0);
  });

  it('serves json values that callers can not change', () => {
    const set = parseFlagSet(input());
    const { value } = evaluate(set, 'theme', { targetingKey: 's-1' }, { defaultValue: null });
    expect(value).toEqual({ colors: ['#000', '#111'], nested: { deep: { depth: 3 } } });
    expect(objectsIn(value).every((o) => Object.isFrozen(o))).toBe(true);
  });
});
