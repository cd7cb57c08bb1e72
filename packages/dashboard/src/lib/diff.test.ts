import { describe, expect, it } from 'vitest';
import { changedFields, diffJson, stableStringify, summarizeChanges } from './diff.js';

describe('diffJson', () => {
  it('marks added and removed lines and folds long unchanged stretches', () => {
    const before = { a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, enabled: false };
    const after = { ...before, enabled: true };
    const lines = diffJson(before, after, 1);
    expect(lines.filter((l) => l.kind === 'del')).toEqual([
      { kind: 'del', text: '  "enabled": false,', oldLine: 7 },
    ]);
    expect(lines.filter((l) => l.kind === 'add')).toEqual([
      { kind: 'add', text: '  "enabled": true,', newLine: 7 },
    ]);
    expect(lines.some((l) => l.kind === 'skip')).toBe(true);
  });

  it('ignores the order of object keys', () => {
    expect(diffJson({ a: 1, b: 2 }, { b: 2, a: 1 }).some((l) => l.kind === 'add' || l.kind === 'del')).toBe(
      false,
    );
    expect(stableStringify({ b: [{ d: 1, c: 2 }], a: null })).toBe(
      stableStringify({ a: null, b: [{ c: 2, d: 1 }] }),
    );
  });

  it('shows a value that appears as all added', () => {
    expect(diffJson(undefined, { a: 1 }).every((l) => l.kind === 'add')).toBe(true);
  });
});

describe('changedFields', () => {
  it('names each changed field by its path, comparing arrays whole', () => {
    const before = {
      type: 'boolean',
      environments: { production: { enabled: false, rules: [{ id: 'x' }] } },
    };
    const after = {
      type: 'boolean',
      environments: { production: { enabled: true, rules: [{ id: 'y' }] } },
      tags: ['a'],
    };
    expect(changedFields(before, after)).toEqual([
      { path: 'environments.production.enabled', before: false, after: true },
      { path: 'environments.production.rules', before: [{ id: 'x' }], after: [{ id: 'y' }] },
      { path: 'tags', before: undefined, after: ['a'] },
    ]);
  });

  it('summarizes changes in one line each, leaving out ignored fields', () => {
    expect(
      summarizeChanges({ enabled: false, version: 1 }, { enabled: true, version: 2 }, ['version']),
    ).toEqual(['enabled: false → true']);
  });
});
