import { weightedBuckets } from '@vexil/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.js';
import {
  concentration,
  describeChanges,
  effectiveChanges,
  findSubjects,
  flagsInUse,
  formatShare,
  heaviestFirst,
  paretoRows,
  parsePastedWeights,
  patchOf,
  rankSubjects,
  subjectRows,
  totalAfter,
  weightedReach,
  weightValue,
} from './subject-weights.js';

const seats = { acme: 50, globex: 10, initech: 30, hooli: 10 };

describe('a table’s distribution', () => {
  it('orders subjects heaviest first, equal weights by name', () => {
    expect(heaviestFirst(seats).map((s) => s.subject)).toEqual(['acme', 'initech', 'globex', 'hooli']);
  });

  it('makes Pareto bars that add up to the whole table, the rest in one bar', () => {
    const rows = paretoRows(heaviestFirst(seats), 100, 2);
    expect(rows).toEqual([
      { name: 'acme', share: 50, cumulative: 50 },
      { name: 'initech', share: 30, cumulative: 80 },
      { name: '2 others', share: 20, cumulative: 100, others: 2 },
    ]);
    expect(paretoRows([], 0)).toEqual([]);
  });

  it('says how few subjects hold half the weight and what the heaviest fifth holds', () => {
    const c = concentration(heaviestFirst(seats), 100);
    expect(c.heaviest).toEqual({ subject: 'acme', weight: 50, share: 0.5 });
    expect(c.halfHeldBy).toBe(1);
    expect(c.topFifthShare).toBe(0.5);
    const even = concentration(heaviestFirst({ a: 1, b: 1, c: 1, d: 1 }), 4);
    expect(even.halfHeldBy).toBe(2);
  });

  it('formats shares with the digits that matter', () => {
    expect(formatShare(0.5)).toBe('50%');
    expect(formatShare(0.1234)).toBe('12.3%');
    expect(formatShare(0.00042)).toBe('0.042%');
    expect(formatShare(0.99999)).toBe('99.9%');
    expect(formatShare(0)).toBe('0%');
  });
});

describe('weightedReach', () => {
  it('bounds the subjects a weighted rollout serves: heaviest first the fewest, lightest first the most', () => {
    const sorted = heaviestFirst(seats);
    // acme alone spans 50 % of the line: a 10 % rollout never reaches its middle when it comes first.
    expect(weightedReach(sorted, 100, 10_000)).toEqual({ fewest: 0, most: 1 });
    expect(weightedReach(sorted, 100, 100_000)).toEqual({ fewest: 4, most: 4 });
    expect(weightedReach(sorted, 100, 0)).toEqual({ fewest: 0, most: 0 });
  });

  it('holds what the core serves under every seed', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 1000 }), {
          minKeys: 1,
          maxKeys: 30,
        }),
        fc.string(),
        fc.integer({ min: 0, max: 100_000 }),
        (weights, seed, threshold) => {
          const total = Object.values(weights).reduce((a, b) => a + b, 0);
          const served = [...weightedBuckets(seed, weights).values()].filter((b) => b < threshold).length;
          const { fewest, most } = weightedReach(heaviestFirst(weights), total, threshold);
          expect(served).toBeGreaterThanOrEqual(fewest);
          expect(served).toBeLessThanOrEqual(most);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('editing subjects', () => {
  const saved = { description: 'Seats', weights: seats };

  it('sends only the subjects that change, typed weights as numbers when they are', () => {
    const changes = new Map<string, string | null>([
      ['acme', '60'],
      ['globex', null],
      ['hooli', '10'],
      ['umbrella', '2.5'],
      ['ghost', null],
    ]);
    expect(patchOf(saved, changes, undefined)).toEqual({
      weights: { acme: 60, globex: null, umbrella: 2.5 },
    });
    expect(describeChanges(seats, effectiveChanges(seats, changes))).toBe('1 added, 1 changed, 1 removed');
    expect(patchOf(saved, new Map(), 'Seats ')).toBeUndefined();
    expect(patchOf(saved, new Map(), '')).toEqual({ description: null });
  });

  it('leaves a weight that is not a number as typed, for the server to name', () => {
    expect(weightValue(' 12 ')).toBe(12);
    expect(weightValue('1e3')).toBe(1000);
    expect(weightValue('12 seats')).toBe('12 seats');
    expect(weightValue('')).toBe('');
  });

  it('keeps a subject called __proto__ as a subject', () => {
    const patch = patchOf(saved, new Map([['__proto__', '3']]), undefined);
    expect(JSON.parse(JSON.stringify(patch))).toEqual(JSON.parse('{"weights":{"__proto__":3}}'));
  });

  it('lists subjects being added first, then the saved ones heaviest first, a page at a time', () => {
    const ranked = rankSubjects(heaviestFirst(seats));
    const changes = new Map([
      ['new-1', '5'],
      ['acme', '70'],
      ['new-2', '1'],
      ['hooli', null],
    ]);
    const all = subjectRows(ranked, seats, changes, { offset: 0, limit: 100 });
    expect(all.total).toBe(6);
    expect(all.rows.map((r) => [r.subject, r.value, r.rank])).toEqual([
      ['new-2', '1', undefined],
      ['new-1', '5', undefined],
      ['acme', '70', 1],
      ['initech', '30', 2],
      ['globex', '10', 3],
      ['hooli', null, 4],
    ]);
    const second = subjectRows(ranked, seats, changes, { offset: 1, limit: 2 });
    expect(second.rows.map((r) => r.subject)).toEqual(['new-1', 'acme']);
    const third = subjectRows(ranked, seats, changes, { offset: 4, limit: 2 });
    expect(third.rows.map((r) => r.subject)).toEqual(['globex', 'hooli']);
    const found = subjectRows(findSubjects(ranked, 'O'), seats, changes, {
      search: 'O',
      offset: 0,
      limit: 10,
    });
    expect(found.rows.map((r) => [r.subject, r.rank])).toEqual([
      ['globex', 3],
      ['hooli', 4],
    ]);
    expect(
      totalAfter(
        seats,
        100,
        new Map([
          ['acme', '70'],
          ['hooli', null],
          ['x', 'abc'],
        ]),
      ),
    ).toBe(110);
  });
});

describe('parsePastedWeights', () => {
  const read = (text: string) => {
    const pasted = parsePastedWeights(text);
    return pasted.ok ? Object.fromEntries(pasted.weights) : pasted.message;
  };

  it('reads lines of subject,weight with commas, semicolons or tabs, skipping a header and comments', () => {
    expect(read('account,seats\nacme,50\n# a comment\n\nglobex; 10\ninitech\t30\n"Acme, Inc.",7\n')).toEqual({
      acme: '50',
      globex: '10',
      initech: '30',
      'Acme, Inc.': '7',
    });
  });

  it('keeps the last weight of a subject given twice, and counts it', () => {
    const pasted = parsePastedWeights('a,1\nb,2\na,3');
    expect(pasted.ok && Object.fromEntries(pasted.weights)).toEqual({ a: '3', b: '2' });
    expect(pasted.ok && pasted.repeated).toBe(1);
  });

  it('reads JSON: subjects and weights, or a whole table', () => {
    expect(read('{ "acme": 50, "globex": 10 }')).toEqual({ acme: '50', globex: '10' });
    expect(read('{ "description": "x", "weights": { "acme": 5 } }')).toEqual({ acme: '5' });
    expect(read('{ "acme": true }')).toBe('the weight of "acme" is not a number');
    expect(read('{ "acme": ')).toMatch(/^not valid JSON/);
  });

  it('names the line it can’t read', () => {
    expect(read('acme,1\njust-a-name\n')).toBe('line 2: expected subject,weight, got "just-a-name"');
    expect(read('acme,1\n,5')).toBe('line 2: no subject before the weight');
    expect(read('  ')).toMatch(/^nothing to read/);
  });
});

describe('flagsInUse', () => {
  const message = 'weight table "accounts" is still used by flag "billing", flag "new-seats"';

  it('reads the flags an IN_USE answer lists in its details', () => {
    const error = new ApiError(409, 'IN_USE', message, [], undefined, { flags: ['billing', 'new-seats', 3] });
    expect(flagsInUse(error)).toEqual(['billing', 'new-seats']);
    expect(flagsInUse(new ApiError(409, 'ALREADY_EXISTS', 'flag "x" exists'))).toEqual([]);
    expect(flagsInUse(new Error('x'))).toEqual([]);
  });

  it('finds no flags without details, never reading them from the message', () => {
    expect(flagsInUse(new ApiError(409, 'IN_USE', message))).toEqual([]);
    expect(flagsInUse(new ApiError(409, 'IN_USE', message, [], undefined, { flags: 'billing' }))).toEqual([]);
  });
});
