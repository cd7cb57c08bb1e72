import { describe, expect, it } from 'vitest';
import { formatIssue } from './issue.js';
import { safeParseFlagSet } from './parse-flag-set.js';

/** The issues of a flag set that must not parse, as `path: message` lines. */
function issuesOf(input: unknown): string[] {
  const result = safeParseFlagSet(input);
  if (result.success) throw new Error('expected the flag set to be refused');
  return result.error.issues.map(formatIssue);
}

const rule = (condition: Record<string, unknown>) => ({ conditions: [condition], serve: { variant: 'on' } });

describe('checks beyond the schema', () => {
  it("names unknown variants wherever a variant is named, and lists the flag's variants", () => {
    expect(
      issuesOf({
        segments: { beta: {} },
        flags: {
          checkout: {
            type: 'string',
            variants: { a: 'A', b: 'B', c: 'C' },
            offVariant: 'off',
            targets: { z: ['u-1'] },
            overrides: [{ segment: 'beta', variant: 'y' }],
            experiment: { key: 'e', variants: { a: 50000, x: 50000 } },
            rules: [{ conditions: [], serve: { variant: 'w' } }],
            defaultServe: { variant: 'd' },
            environments: { prod: { defaultServe: { rollout: { variants: { a: 50000, v: 50000 } } } } },
          },
        },
      }),
    ).toEqual([
      'flags.checkout.offVariant: unknown variant "off"; the flag has "a", "b", "c"',
      'flags.checkout.targets.z: unknown variant "z"; the flag has "a", "b", "c"',
      'flags.checkout.overrides[0].variant: unknown variant "y"; the flag has "a", "b", "c"',
      'flags.checkout.experiment.variants.x: unknown variant "x"; the flag has "a", "b", "c"',
      'flags.checkout.rules[0].serve.variant: unknown variant "w"; the flag has "a", "b", "c"',
      'flags.checkout.defaultServe.variant: unknown variant "d"; the flag has "a", "b", "c"',
      'flags.checkout.environments.prod.defaultServe.rollout.variants.v: unknown variant "v"; the flag has "a", "b", "c"',
    ]);
  });

  it('knows the implicit on and off variants of a boolean flag without variants', () => {
    expect(issuesOf({ flags: { f: { type: 'boolean', defaultServe: { variant: 'yes' } } } })).toEqual([
      'flags.f.defaultServe.variant: unknown variant "yes"; the flag has "on", "off"',
    ]);
  });

  it('names unknown segments in overrides and segment conditions', () => {
    expect(
      issuesOf({
        segments: { staff: { conditions: [{ op: 'segment', value: 'ghosts' }] } },
        flags: {
          f: {
            type: 'boolean',
            overrides: [{ segment: 'beta', variant: 'on' }],
            rules: [rule({ op: 'segment', values: ['staff', 'vip'] })],
          },
        },
      }),
    ).toEqual([
      'segments.staff.conditions[0].value: unknown segment "ghosts"',
      'flags.f.overrides[0].segment: unknown segment "beta"',
      'flags.f.rules[0].conditions[0].values[1]: unknown segment "vip"',
    ]);
  });

  it('refuses segments that use each other in a loop, and a segment that uses itself', () => {
    expect(
      issuesOf({
        segments: {
          a: { conditions: [{ op: 'segment', value: 'b' }] },
          b: { conditions: [{ op: 'segment', value: 'a' }] },
          c: { conditions: [{ op: 'segment', value: 'c' }] },
          d: { conditions: [{ op: 'segment', value: 'a' }] },
        },
        flags: {},
      }),
    ).toEqual(['segments.a: segments form a cycle: a → b → a', 'segments.c: segments form a cycle: c → c']);
  });

  it('refuses patterns RE2 can not compile: syntax errors, backreferences, look-around', () => {
    expect(
      issuesOf({
        flags: {
          f: {
            type: 'boolean',
            rules: [rule({ attribute: 'x', op: 'matches', values: ['(a', '(a)\\1', '(?=a)', '^ok$'] })],
          },
        },
      }),
    ).toEqual([
      'flags.f.rules[0].conditions[0].values[0]: invalid pattern "(a": error parsing regexp: missing closing ): `(a`',
      'flags.f.rules[0].conditions[0].values[1]: invalid pattern "(a)\\\\1": error parsing regexp: invalid escape sequence: `\\1`',
      'flags.f.rules[0].conditions[0].values[2]: invalid pattern "(?=a)": error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
    ]);
  });

  it('refuses patterns longer than 4096 characters', () => {
    expect(
      issuesOf({
        flags: {
          f: { type: 'boolean', rules: [rule({ attribute: 'x', op: 'matches', value: 'a'.repeat(4097) })] },
        },
      }),
    ).toEqual(['flags.f.rules[0].conditions[0].value: pattern is longer than 4096 characters']);
  });

  it('checks that values suit their operators', () => {
    expect(
      issuesOf({
        flags: {
          f: {
            type: 'boolean',
            rules: [
              {
                conditions: [
                  { attribute: 'seats', op: 'lt', value: 'ten' },
                  { attribute: 'email', op: 'endsWith', value: 1 },
                  { attribute: 'version', op: 'semverGt', value: '1.0' },
                  { attribute: 'signup', op: 'before', value: '2026-01-01' },
                  { attribute: 'signup', op: 'after', value: true },
                  { attribute: 'x', op: 'matches', value: 5 },
                  { attribute: 'email', op: 'exists', value: 'x' },
                  { op: 'eq', value: 1 },
                  { attribute: 'country', op: 'in' },
                  { attribute: 'country', op: 'eq', value: 'FR', values: ['FR'] },
                  { attribute: 'country', op: 'segment', value: 'beta' },
                ],
                serve: { variant: 'on' },
              },
            ],
          },
        },
      }),
    ).toEqual([
      'flags.f.rules[0].conditions[0].value: expected a number, got "ten"',
      'flags.f.rules[0].conditions[1].value: expected a string, got 1',
      'flags.f.rules[0].conditions[2].value: expected a semantic version like "1.4.0", got "1.0"',
      'flags.f.rules[0].conditions[3].value: expected an ISO 8601 date-time with a zone or epoch milliseconds, got "2026-01-01"',
      'flags.f.rules[0].conditions[4].value: expected an ISO 8601 date-time with a zone or epoch milliseconds, got true',
      'flags.f.rules[0].conditions[5].value: expected a pattern string, got 5',
      'flags.f.rules[0].conditions[6].value: the exists operator takes no value',
      'flags.f.rules[0].conditions[7].attribute: the eq operator needs an attribute',
      'flags.f.rules[0].conditions[8].values: the in operator needs at least one value',
      'flags.f.rules[0].conditions[9]: give "value" or "values", not both',
      'flags.f.rules[0].conditions[10].attribute: the segment operator takes no attribute',
      'flags.f.rules[0].conditions[10].value: unknown segment "beta"',
    ]);
  });

  it("checks that variant values have the flag's type", () => {
    expect(
      issuesOf({
        flags: {
          b: { type: 'boolean', variants: { on: 1 } },
          s: { type: 'string', variants: { a: 1 } },
          n: { type: 'number', variants: { a: '1' } },
          e: { type: 'string', variants: {} },
        },
      }),
    ).toEqual([
      "flags.b.variants.on: a boolean flag's variants must be true or false",
      "flags.s.variants.a: a string flag's variants must be strings",
      "flags.n.variants.a: a number flag's variants must be numbers",
      'flags.e.variants: a string flag needs at least one variant',
    ]);
  });

  it('refuses duplicate rule ids and keys targeted to two variants', () => {
    expect(
      issuesOf({
        flags: {
          f: {
            type: 'boolean',
            targets: { on: ['u-1', 'u-2'], off: ['u-2'] },
            rules: [
              { id: 'r', conditions: [], serve: { variant: 'on' } },
              { id: 'r', conditions: [], serve: { variant: 'off' } },
            ],
          },
        },
      }),
    ).toEqual([
      'flags.f.targets.off[0]: key "u-2" is also targeted to "on"',
      'flags.f.rules[1].id: duplicate rule id "r"',
    ]);
  });

  it('refuses a flag that is its own prerequisite and prerequisite variants the other flag lacks', () => {
    expect(
      issuesOf({
        flags: {
          f: { type: 'boolean', prerequisites: [{ flag: 'f', variants: ['on'] }] },
          g: {
            type: 'boolean',
            environments: { prod: { prerequisites: [{ flag: 'f', variants: ['yes'] }] } },
          },
        },
      }),
    ).toEqual([
      'flags.f.prerequisites[0].flag: a flag cannot be its own prerequisite',
      'flags.g.environments.prod.prerequisites[0].variants[0]: flag "f" has no variant "yes"',
    ]);
  });

  it('accepts a prerequisite on a flag outside the set (it fails at evaluation)', () => {
    expect(
      safeParseFlagSet({
        flags: { f: { type: 'boolean', prerequisites: [{ flag: 'elsewhere', variants: ['on'] }] } },
      }).success,
    ).toBe(true);
  });

  it('checks ramps, schedules and experiment windows', () => {
    expect(
      issuesOf({
        flags: {
          f: {
            type: 'boolean',
            experiment: {
              key: 'e',
              variants: { on: 100000 },
              start: '2026-02-01T00:00:00Z',
              end: '2026-02-01T00:00:00Z',
            },
            defaultServe: {
              rollout: {
                variants: { on: 100000 },
                ramp: { start: '2026-02-01T00:00:00Z', end: '2026-01-01T00:00:00Z', to: { on: 100000 } },
                schedule: [
                  { at: '2026-02-01T00:00:00Z', variants: { off: 100000 } },
                  { at: '2026-01-01T00:00:00Z', variants: { on: 100000 } },
                ],
              },
            },
          },
        },
      }),
    ).toEqual([
      'flags.f.experiment.end: end must be after start',
      'flags.f.defaultServe.rollout: give "ramp" or "schedule", not both',
      'flags.f.defaultServe.rollout.ramp.end: end must be after start',
      'flags.f.defaultServe.rollout.schedule[1].at: schedule steps must be in increasing time order',
    ]);
  });
});
