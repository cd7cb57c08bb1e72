import { describe, expect, it } from 'vitest';
import { formatIssue } from './issue.js';
import { safeParseFlagSet } from './parse-flag-set.js';

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
