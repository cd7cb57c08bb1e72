import { describe, expect, it } from 'vitest';
import { evaluate } from '../evaluate/evaluate.js';
import { formatIssue } from './issue.js';
import { parseFlagSet, safeParseFlagSet } from './parse-flag-set.js';

function issuesOf(input: unknown): string[] {
  const result = safeParseFlagSet(input);
  if (result.success) throw new Error('expected the flag set to be refused');
  return result.error.issues.map(formatIssue);
}

const rollout = (extra: Record<string, unknown>) => ({
  rollout: { variants: { on: 50_000, off: 50_000 }, bucketBy: 'account', ...extra },
});

describe('subjectWeights: validation', () => {
  it('names the path of a weight that is not a whole number ≥ 1', () => {
    expect(
      issuesOf({
        subjectWeights: { accounts: { weights: { acme: 0, globex: -3, initech: 2.5, hooli: 'big' } } },
        flags: {},
      }),
    ).toEqual([
      'subjectWeights.accounts.weights.acme: a subject weight must be a whole number ≥ 1 (scale fractional sizes: cents, thousands)',
      'subjectWeights.accounts.weights.globex: a subject weight must be a whole number ≥ 1 (scale fractional sizes: cents, thousands)',
      'subjectWeights.accounts.weights.initech: expected int, got number',
      'subjectWeights.accounts.weights.hooli: expected number, got string',
    ]);
  });

  it('refuses a table whose total is too large to lay out exactly', () => {
    expect(
      issuesOf({ subjectWeights: { big: { weights: { a: 6_000_000_000, b: 5_000_000_000 } } }, flags: {} }),
    ).toEqual([
      'subjectWeights.big.weights: the weights of a table must sum to at most 10000000000, got 11000000000',
    ]);
  });

  it('refuses bad table names and unknown fields', () => {
    expect(
      issuesOf({ subjectWeights: { 'no spaces': { weights: {} }, t: { weight: {} } }, flags: {} }),
    ).toEqual([
      'subjectWeights["no spaces"]: invalid key "no spaces": use 1–128 of A–Z a–z 0–9 . _ - starting with a letter or digit',
      'subjectWeights.t.weights: required (expected record)',
      'subjectWeights.t: unknown field "weight"',
    ]);
  });

  it('names the path of a rollout or experiment that weights by an unknown table', () => {
    expect(
      issuesOf({
        subjectWeights: { accounts: { weights: { acme: 1 } } },
        flags: {
          f: {
            type: 'boolean',
            rules: [{ conditions: [], serve: rollout({ weightedBy: 'acounts' }) }],
            experiment: { key: 'e', variants: { on: 100_000 }, weightedBy: 'tenants' },
            environments: { prod: { defaultServe: rollout({ weightedBy: 'seats' }) } },
          },
        },
      }),
    ).toEqual([
      'flags.f.experiment.weightedBy: unknown weight table "tenants"; the set\'s subjectWeights has "accounts"',
      'flags.f.rules[0].serve.rollout.weightedBy: unknown weight table "acounts"; the set\'s subjectWeights has "accounts"',
      'flags.f.environments.prod.defaultServe.rollout.weightedBy: unknown weight table "seats"; the set\'s subjectWeights has "accounts"',
    ]);
  });

  it('says when the set has no tables at all', () => {
    expect(
      issuesOf({ flags: { f: { type: 'boolean', defaultServe: rollout({ weightedBy: 'accounts' }) } } }),
    ).toEqual([
      'flags.f.defaultServe.rollout.weightedBy: unknown weight table "accounts"; the set\'s subjectWeights has none',
    ]);
  });

  it('refuses a weighted random rollout', () => {
    expect(
      issuesOf({
        subjectWeights: { accounts: { weights: { acme: 1 } } },
        flags: { f: { type: 'boolean', defaultServe: rollout({ weightedBy: 'accounts', random: true }) } },
      }),
    ).toEqual([
      'flags.f.defaultServe.rollout.weightedBy: a random rollout cannot be weighted: it draws a new bucket on every evaluation',
    ]);
  });

  it('accepts a table named like an Object.prototype property, and an empty table', () => {
    const set = parseFlagSet({
      subjectWeights: { constructor: { weights: { acme: 3 } }, empty: { weights: {} } },
      flags: {
        f: { type: 'boolean', enabled: true, defaultServe: rollout({ weightedBy: 'constructor' }) },
        g: { type: 'boolean', enabled: true, defaultServe: rollout({ weightedBy: 'empty' }) },
      },
    });
    expect(evaluate(set, 'f', { account: 'acme' }).reason).toBe('SPLIT');
    expect(evaluate(set, 'g', { account: 'acme' }).reason).toBe('SPLIT');
    expect(
      issuesOf({ flags: { f: { type: 'boolean', defaultServe: rollout({ weightedBy: 'toString' }) } } }),
    ).toEqual([
      'flags.f.defaultServe.rollout.weightedBy: unknown weight table "toString"; the set\'s subjectWeights has none',
    ]);
  });

  it('keeps the tables in the definition, frozen', () => {
    const set = parseFlagSet({ subjectWeights: { accounts: { weights: { acme: 2 } } }, flags: {} });
    expect(set.definition.subjectWeights).toEqual({ accounts: { weights: { acme: 2 } } });
    expect(Object.isFrozen(set.definition.subjectWeights?.accounts?.weights)).toBe(true);
  });
});
