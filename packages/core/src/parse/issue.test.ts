import { describe, expect, it } from 'vitest';
import { formatIssue, formatPath } from './issue.js';

describe('formatPath', () => {
  it('writes paths the way people write them', () => {
    expect(formatPath(['flags', 'checkout', 'rules', 2, 'conditions', 0, 'op'])).toBe(
      'flags.checkout.rules[2].conditions[0].op',
    );
  });

  it('keeps hyphenated keys readable, as flag keys usually are', () => {
    expect(formatPath(['flags', 'new-checkout', 'rules', 0])).toBe('flags.new-checkout.rules[0]');
  });

  it('quotes keys that could be misread: dots, spaces, a leading digit', () => {
    expect(formatPath(['flags', 'f', 'variants', 'a.b', 'x y', '1st'])).toBe(
      'flags.f.variants["a.b"]["x y"]["1st"]',
    );
  });

  it('writes a leading index and an empty key unambiguously', () => {
    expect(formatPath([0, ''])).toBe('[0][""]');
  });

  it('gives the empty string for the root', () => {
    expect(formatPath([])).toBe('');
  });
});

describe('formatIssue', () => {
  it('prefixes the message with its path', () => {
    expect(formatIssue({ path: ['flags', 'f', 'type'], message: 'required' })).toBe('flags.f.type: required');
  });

  it('gives only the message for an issue at the root', () => {
    expect(formatIssue({ path: [], message: 'invalid JSON' })).toBe('invalid JSON');
  });
});
