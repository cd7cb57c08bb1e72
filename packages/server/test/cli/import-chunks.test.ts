import type { FlagSetDefinition } from '@vexil/core';
import { describe, expect, it } from 'vitest';
import { chunkFlagSet, mergeAnswers, prerequisitesFirst } from '../../src/cli/import-chunks.js';

const flag = (prerequisites: string[] = []) => ({
  type: 'boolean' as const,
  ...(prerequisites.length > 0
    ? { prerequisites: prerequisites.map((f) => ({ flag: f, variants: ['on'] })) }
    : {}),
});

describe('import chunks', () => {
  it('puts every flag after the flags it names as prerequisites, at flag level or in an environment', () => {
    const flags: FlagSetDefinition['flags'] = {
      c: flag(['b']),
      a: flag(),
      b: {
        type: 'boolean',
        environments: { production: { prerequisites: [{ flag: 'a', variants: ['on'] }] } },
      },
      d: flag(['missing-from-file']),
    };
    const order = prerequisitesFirst(flags);
    expect(order.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(prerequisitesFirst(flags).indexOf('a')).toBeLessThan(prerequisitesFirst(flags).indexOf('b'));
    expect(prerequisitesFirst(flags).indexOf('b')).toBeLessThan(prerequisitesFirst(flags).indexOf('c'));
  });

  it('orders a chain of 50,000 prerequisites without overflowing the stack, and survives a cycle', () => {
    const flags: FlagSetDefinition['flags'] = {};
    for (let i = 0; i < 50_000; i++) flags[`f${i}`] = flag(i === 49_999 ? [] : [`f${i + 1}`]);
    const order = prerequisitesFirst(flags);
    expect(order[0]).toBe('f49999');
    expect(order[49_999]).toBe('f0');
    expect(prerequisitesFirst({ x: flag(['y']), y: flag(['x']) }).sort()).toEqual(['x', 'y']);
  });

  it('cuts a flag set into pieces of at most n flags, segments and top-level fields in the first', () => {
    const flags: FlagSetDefinition['flags'] = {};
    for (let i = 0; i < 7; i++) flags[`f${i}`] = flag();
    const file: FlagSetDefinition = {
      formatVersion: 1,
      environment: 'production',
      segments: { beta: { conditions: [] } },
      flags,
    };
    const chunks = chunkFlagSet(file, 3);
    expect(chunks.map((c) => Object.keys(c.flags).length)).toEqual([3, 3, 1]);
    expect(chunks[0]!.segments).toEqual(file.segments);
    expect(chunks[1]!.segments).toBeUndefined();
    expect(chunks.every((c) => c.environment === 'production' && c.formatVersion === 1)).toBe(true);
    expect(chunks.flatMap((c) => Object.keys(c.flags)).sort()).toEqual(Object.keys(flags).sort());
    expect(chunkFlagSet({ flags: {} }, 3)).toEqual([{ flags: {} }]);
  });

  it('adds up the answers of the pieces', () => {
    const diff = (created: string[]) => ({ created, updated: [], unchanged: [], deleted: [] });
    const answer = (flags: string[], segments: string[]) => ({
      dryRun: false,
      project: 'p',
      environment: null,
      mode: 'merge' as const,
      flags: diff(flags),
      segments: diff(segments),
    });
    expect(mergeAnswers([answer(['a'], ['s']), answer(['b'], [])])).toEqual(answer(['a', 'b'], ['s']));
    const withTables = (tables: string[]) => ({ ...answer([], []), subjectWeights: diff(tables) });
    expect(mergeAnswers([withTables(['accounts']), withTables([])]).subjectWeights).toEqual(
      diff(['accounts']),
    );
  });

  it('sends the weight tables with the first piece only', () => {
    const file: FlagSetDefinition = {
      subjectWeights: { accounts: { weights: { acme: 5 } } },
      flags: { a: flag(), b: flag(), c: flag() },
    };
    const chunks = chunkFlagSet(file, 2);
    expect(chunks[0]!.subjectWeights).toEqual(file.subjectWeights);
    expect(chunks[1]!.subjectWeights).toBeUndefined();
  });
});
