import { describe, expect, it } from 'vitest';
import { compileSegments } from './segment.js';

describe('segment membership', () => {
  const lookup = compileSegments({
    beta: {
      included: ['u-in', 'u-both'],
      excluded: ['u-out', 'u-both'],
      conditions: [{ attribute: 'email', op: 'endsWith', value: '@example.com' }],
    },
    listed: { included: ['u-1'] },
  });
  const beta = lookup('beta')!;

  it('holds an included key even when the conditions fail', () => {
    expect(beta.contains({ targetingKey: 'u-in', email: 'x@other.org' }, { now: Number.NaN })).toBe(true);
  });

  it('keeps an excluded key out even when the conditions hold', () => {
    expect(beta.contains({ targetingKey: 'u-out', email: 'x@example.com' }, { now: Number.NaN })).toBe(false);
  });

  it('holds a key that is both included and excluded: included wins, as documented', () => {
    expect(beta.contains({ targetingKey: 'u-both', email: 'x@other.org' }, { now: Number.NaN })).toBe(true);
  });

  it('lets the conditions decide for other keys', () => {
    expect(beta.contains({ targetingKey: 'u-9', email: 'x@example.com' }, { now: Number.NaN })).toBe(true);
    expect(beta.contains({ targetingKey: 'u-9', email: 'x@other.org' }, { now: Number.NaN })).toBe(false);
  });

  it('holds only the included keys of a segment without conditions', () => {
    const listed = lookup('listed')!;
    expect(listed.contains({ targetingKey: 'u-1' }, { now: Number.NaN })).toBe(true);
    expect(listed.contains({ targetingKey: 'u-2' }, { now: Number.NaN })).toBe(false);
    expect(listed.contains({}, { now: Number.NaN })).toBe(false);
  });
});
