import { describe, expect, it } from 'vitest';
import { parseFlagSet } from '../parse/parse-flag-set.js';
import { evaluate } from './evaluate.js';
import { MAX_PREREQUISITE_DEPTH } from './resolver.js';

/** Flags f0 → f1 → … → f{last}: each needs the next to serve on; f{last} is simply on. */
function chain(last: number) {
  const flags: Record<string, unknown> = {};
  for (let i = 0; i < last; i++) {
    flags[`f${i}`] = {
      type: 'boolean',
      enabled: true,
      prerequisites: [{ flag: `f${i + 1}`, variants: ['on'] }],
    };
  }
  flags[`f${last}`] = { type: 'boolean', enabled: true };
  return parseFlagSet({ flags });
}

describe('prerequisite chains', () => {
  it(`are followed ${MAX_PREREQUISITE_DEPTH} flags deep`, () => {
    expect(evaluate(chain(MAX_PREREQUISITE_DEPTH), 'f0', {}, { defaultValue: false })).toMatchObject({
      value: true,
      reason: 'DEFAULT',
    });
  });

  it('fail, without recursing further, when they nest deeper', () => {
    const set = chain(MAX_PREREQUISITE_DEPTH + 1);
    expect(evaluate(set, 'f0', {}, { defaultValue: true })).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'PREREQUISITE_FAILED',
    });
    expect(evaluate(set, 'f1', {}, { defaultValue: false })).toMatchObject({ value: true });
  });

  it('of thousands of flags neither overflow the stack nor throw', () => {
    expect(evaluate(chain(5000), 'f0', {}, { defaultValue: true })).toMatchObject({
      reason: 'PREREQUISITE_FAILED',
    });
  });
});
