// Writes conformance/subject-weights.json from the reference implementation:
//   npx tsx packages/core/test/tools/write-weight-vectors.ts
// Then check it with the independent Python implementation:
//   python3 conformance/tools/subject_weights.py
import { writeFileSync } from 'node:fs';
import { bucket, MAX_TABLE_WEIGHT, weightedBuckets } from '../../src/index.js';
import type { WeightFile, WeightVector } from '../support/weight-vectors.js';

const readme = { acme: 50, globex: 10, initech: 30, hooli: 10 };

/** 40 accounts with weights from 1 to 9 973, spread by a fixed rule. */
const mixed: Record<string, number> = {};
for (let i = 0; i < 40; i++) mixed[`account-${i}`] = 1 + ((i * 7919 + 13) % 9973);

const tables: [string, string, Record<string, number>][] = [
  ['the README example: four accounts ordered by hash bucket', 'checkout', readme],
  ['the same table under another seed: another order', 'pricing', readme],
  ['a lone subject takes the middle bucket', 'lone', { only: 7 }],
  ['three equal thirds: middles rounded down', 'thirds', { x: 1, y: 1, z: 1 }],
  [
    'two subjects with the same hash bucket (72479) go by code point, not by the order of the table',
    'ties',
    { 'acct-339': 3, 'acct-325': 1 },
  ],
  [
    'equal hash buckets (12007): U+FF5E sorts before U+1F600 by code point (UTF-16 units would say otherwise)',
    'unicode',
    { '😀57': 2, '～689': 2, café: 5 },
  ],
  [
    'a subject whose first hash is rejected (user-3143: hash seed 1, bucket 76625)',
    'checkout',
    { 'user-3143': 4, 'user-1': 1, 'user-2': 1 },
  ],
  [
    'the empty string and numbers written as strings are subjects like any other',
    'odd',
    { '': 3, '42': 5, '-7': 1, '1.5': 1 },
  ],
  [
    `the largest total a table may have (${MAX_TABLE_WEIGHT}): still exact`,
    'edge',
    { a: MAX_TABLE_WEIGHT - 3, b: 1, c: 1, d: 1 },
  ],
  ['forty accounts of very different weights', 'mixed', mixed],
];

const layouts: WeightVector[] = tables.map(([description, seed, weights]) => {
  const buckets = weightedBuckets(seed, weights);
  return {
    description,
    seed,
    weights,
    layout: [...buckets].map(([subject, b]) => ({
      subject,
      hashBucket: bucket(seed, subject),
      weight: weights[subject]!,
      bucket: b,
    })),
  };
});

const file: WeightFile = { buckets: 100_000, maxTotalWeight: MAX_TABLE_WEIGHT, layouts };
const out = new URL('../../../../conformance/subject-weights.json', import.meta.url);
// One line per subject of a layout, so the file reads as a table.
const text = JSON.stringify(file, null, 2).replace(
  /\{\n\s+"subject": (.*),\n\s+"hashBucket": (\d+),\n\s+"weight": (\d+),\n\s+"bucket": (\d+)\n\s+\}/g,
  '{ "subject": $1, "hashBucket": $2, "weight": $3, "bucket": $4 }',
);
writeFileSync(out, `${text}\n`);
console.log(`wrote ${layouts.length} layouts to ${out.pathname}`);
