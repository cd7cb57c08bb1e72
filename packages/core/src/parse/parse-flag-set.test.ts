import { describe, expect, it } from 'vitest';
import { FlagSetParseError } from '../errors/flag-set-parse-error.js';
import { formatIssue } from './issue.js';
import { parseFlagSet, safeParseFlagSet } from './parse-flag-set.js';

/** The issues of a flag set that must not parse, as `path: message` lines. */
function issuesOf(input: unknown): string[] {
  const result = safeParseFlagSet(input);
  if (result.success) throw new Error('expected the flag set to be refused');
  return result.error.issues.map(formatIssue);
}

describe('safeParseFlagSet: values of the wrong type', () => {
  it('says what was expected and what was given, not "required"', () => {
    expect(
      issuesOf({ flags: { f: { type: 'boolean', enabled: 'yes', tags: 'beta', variants: [] } } }),
    ).toEqual([
      'flags.f.variants: expected record, got an array',
      'flags.f.tags: expected array, got string',
      'flags.f.enabled: expected boolean, got string',
    ]);
  });

  it('says "required" only for a missing field', () => {
    expect(issuesOf({})).toEqual(['flags: required (expected record)']);
  });

  it('names the kind of a root that is not an object', () => {
    expect(issuesOf(42)).toEqual(['expected object, got number']);
    expect(issuesOf(null)).toEqual(['expected object, got null']);
    expect(issuesOf([])).toEqual(['expected object, got an array']);
  });
});

describe('safeParseFlagSet: input it can not even read', () => {
  it('refuses values nested deeper than the stack allows instead of throwing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const input = { flags: { f: { type: 'json', variants: { a: deep }, enabled: true } } };
    expect(issuesOf(input)).toEqual(['could not read the flag set: it is nested too deeply']);
    const text = `{"flags":{"f":{"type":"json","variants":{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}}}}`;
    expect(issuesOf(text)).toEqual(['could not read the flag set: it is nested too deeply']);
  });

  it('refuses an input whose getters throw instead of throwing', () => {
    const input = {
      get flags(): never {
        throw new Error('boom');
      },
    };
    expect(issuesOf(input)).toEqual(['could not read the flag set: Error: boom']);
  });
});

describe('safeParseFlagSet: keys', () => {
  it('says what a key may hold when a flag, segment, variant or environment key is invalid', () => {
    const rule = 'use 1–128 of A–Z a–z 0–9 . _ - starting with a letter or digit';
    expect(
      issuesOf({
        segments: { 'beta testers': {} },
        flags: {
          'new checkout': { type: 'boolean' },
          f: { type: 'string', variants: { é: 'x' }, environments: { '-prod': {} } },
        },
      }),
    ).toEqual([
      `segments["beta testers"]: invalid key "beta testers": ${rule}`,
      `flags["new checkout"]: invalid key "new checkout": ${rule}`,
      `flags.f.variants["é"]: invalid key "é": ${rule}`,
      `flags.f.environments["-prod"]: invalid key "-prod": ${rule}`,
    ]);
  });
});

describe('parseFlagSet', () => {
  const checkout = {
    type: 'string',
    variants: { a: 'A', b: 'B', c: 'C' },
    enabled: true,
    rules: [
      { conditions: [], serve: { variant: 'a' } },
      { conditions: [], serve: { variant: 'b' } },
      { conditions: [{ attribute: 'plan', op: 'equal', value: 'pro' }], serve: { variant: 'c' } },
    ],
  };

  it('throws a FlagSetParseError that lists every issue with its path', () => {
    const input = { flags: { checkout, other: { type: 'boolean', enabeld: true } } };
    let caught: unknown;
    try {
      parseFlagSet(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(FlagSetParseError);
    const error = caught as FlagSetParseError;
    expect(error.code).toBe('INVALID_FLAG_SET');
    expect(error.name).toBe('FlagSetParseError');
    expect(error.issues).toEqual([
      {
        path: ['flags', 'checkout', 'rules', 2, 'conditions', 0, 'op'],
        message: expect.stringMatching(/^unknown operator "equal"; expected one of eq, neq, in, notIn, /),
      },
      { path: ['flags', 'other'], message: 'unknown field "enabeld"' },
    ]);
    expect(error.message).toMatch(
      /^invalid flag set \(2 issues\):\n {2}- flags\.checkout\.rules\[2\]\.conditions\[0\]\.op: unknown operator "equal"; expected one of eq, neq, .*, segment\n {2}- flags\.other: unknown field "enabeld"$/,
    );
  });

  it('returns the same issues from safeParseFlagSet without throwing', () => {
    const result = safeParseFlagSet({ flags: { checkout } });
    expect(result.success).toBe(false);
    if (!result.success) expect(result.error).toBeInstanceOf(FlagSetParseError);
  });

  it('accepts JSON text', () => {
    const set = parseFlagSet('{ "flags": { "f": { "type": "boolean", "enabled": true } } }');
    expect(set.keys).toEqual(['f']);
  });

  it('reports invalid JSON text as one issue at the root', () => {
    const issues = issuesOf('{ "flags": ');
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(/^invalid JSON: /);
  });

  it('lists every unknown field, at every level', () => {
    expect(
      issuesOf({
        flgs: {},
        flags: {
          f: {
            type: 'boolean',
            condtions: [],
            rules: [
              { conditions: [{ attribute: 'a', op: 'exists', negated: true }], serve: { variant: 'on' } },
            ],
          },
        },
      }),
    ).toEqual([
      'flags.f.rules[0].conditions[0]: unknown field "negated"',
      'flags.f: unknown field "condtions"',
      'unknown field "flgs"',
    ]);
  });

  it('refuses a format version it does not understand', () => {
    expect(issuesOf({ formatVersion: 2, flags: {} })).toEqual([
      'formatVersion: unsupported formatVersion 2; this reader understands 1',
    ]);
  });

  it('names unknown flag types and missing ones', () => {
    expect(issuesOf({ flags: { f: { type: 'bool' }, g: {} } })).toEqual([
      'flags.f.type: unknown flag type "bool"; expected one of boolean, string, number, json',
      'flags.g.type: required: one of boolean, string, number, json',
    ]);
  });

  it('refuses weights that do not sum to 100000', () => {
    expect(
      issuesOf({
        flags: {
          f: {
            type: 'boolean',
            defaultServe: { rollout: { variants: { on: 50000, off: 40000 } } },
            experiment: { key: 'e', variants: { on: 100001 } },
          },
        },
      }),
    ).toEqual([
      'flags.f.experiment.variants.on: too big: expected number to be <=100000',
      'flags.f.experiment.variants: weights must sum to 100000 (100 %), got 100001',
      'flags.f.defaultServe.rollout.variants: weights must sum to 100000 (100 %), got 90000',
    ]);
  });

  it('refuses fractional and negative weights', () => {
    expect(
      issuesOf({
        flags: {
          f: { type: 'boolean', defaultServe: { rollout: { variants: { on: 100000.5, off: -0.5 } } } },
        },
      }),
    ).toEqual([
      'flags.f.defaultServe.rollout.variants.on: expected int, got number',
      'flags.f.defaultServe.rollout.variants.off: expected int, got number',
    ]);
  });

  it('asks for exactly one of variant and rollout in a serve', () => {
    expect(issuesOf({ flags: { f: { type: 'boolean', defaultServe: {} } } })).toEqual([
      'flags.f.defaultServe: give exactly one of "variant" or "rollout"',
    ]);
  });

  it('refuses date-times without a zone', () => {
    expect(issuesOf({ flags: { f: { type: 'boolean', createdAt: '2026-01-01T00:00:00' } } })).toEqual([
      'flags.f.createdAt: invalid date-time "2026-01-01T00:00:00": expected ISO 8601 with a zone, like "2026-01-31T09:00:00Z"',
    ]);
  });
});
