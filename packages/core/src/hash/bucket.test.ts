import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, evaluateAll } from '../evaluate/evaluate.js';
import { parseFlagSet } from '../parse/parse-flag-set.js';
import { BUCKET_LIMIT, BucketHasher, bucket } from './bucket.js';
import { murmur3 } from './murmur3.js';

/** MurmurHash3 x86 32 written the textbook way, over bytes, to check the optimized one. */
function referenceMurmur3(bytes: Uint8Array, seed: number): number {
  const c1 = 0xcc9e2d51;
  const c2 = 0x1b873593;
  let h = seed >>> 0;
  const blocks = bytes.length >> 2;
  const mix = (k: number) => Math.imul(((Math.imul(k, c1) << 15) | (Math.imul(k, c1) >>> 17)) >>> 0, c2);
  for (let i = 0; i < blocks; i++) {
    const k =
      bytes[4 * i]! | (bytes[4 * i + 1]! << 8) | (bytes[4 * i + 2]! << 16) | (bytes[4 * i + 3]! << 24);
    h ^= mix(k);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  for (let i = bytes.length - 1; i >= blocks * 4; i--) tail = (tail << 8) | bytes[i]!;
  if ((bytes.length & 3) !== 0) h ^= mix(tail);
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const encoder = new TextEncoder();

/** The documented bucketing rule, step by step. */
function referenceBucket(seed: string, value: string): number {
  const bytes = encoder.encode(`${seed}/${value}`);
  let hashSeed = 0;
  let h = referenceMurmur3(bytes, hashSeed);
  while (h >= BUCKET_LIMIT) h = referenceMurmur3(bytes, ++hashSeed);
  return h % 100_000;
}

/** Strings of any UTF-16 code units: ASCII, every UTF-8 length, surrogate pairs and lone surrogates. */
const text = fc.string({
  unit: fc.oneof(
    fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) => String.fromCodePoint(c)),
  ),
  maxLength: 40,
});

describe('murmur3 and bucket against a textbook implementation', () => {
  it('hash the UTF-8 bytes of any string, lone surrogates as U+FFFD, with any seed', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 0, max: 0xffffffff }), (s, seed) => {
        expect(murmur3(s, seed)).toBe(referenceMurmur3(encoder.encode(s), seed));
      }),
      { numRuns: 2000 },
    );
  });

  it('bucket any value under any seed by the documented rule', () => {
    fc.assert(
      fc.property(text, text, (seed, value) => {
        expect(bucket(seed, value)).toBe(referenceBucket(seed, value));
      }),
      { numRuns: 2000 },
    );
  });

  it('bucket many values with one hasher as with fresh ones', () => {
    fc.assert(
      fc.property(text, fc.array(text, { maxLength: 8 }), (seed, values) => {
        const hasher = new BucketHasher(seed);
        for (const value of values) expect(hasher.bucket(value)).toBe(referenceBucket(seed, value));
      }),
      { numRuns: 300 },
    );
  });
});

describe('rollouts place subjects by the documented bucket', () => {
  const seeds = ['a', 'abc', 'abcd', 'drapeau-🇫🇷', 'é'];
  const set = parseFlagSet({
    flags: Object.fromEntries(
      seeds.map((seed, i) => [
        `f${i}`,
        {
          type: 'boolean',
          enabled: true,
          defaultServe: { rollout: { variants: { off: 50_000, on: 50_000 }, seed } },
        },
      ]),
    ),
  });
  const expected = (key: string) => seeds.map((seed) => (referenceBucket(seed, key) < 50_000 ? 'off' : 'on'));

  it('in evaluate and evaluateAll alike, one subject after another', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (keys) => {
        for (const targetingKey of keys) {
          expect(evaluateAll(set, { targetingKey }).map((r) => r.variant)).toEqual(expected(targetingKey));
          expect(set.keys.map((key) => evaluate(set, key, { targetingKey }).variant)).toEqual(
            expected(targetingKey),
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
