// Writes conformance/hash.json from the reference implementation:
//   npx tsx packages/core/test/tools/write-hash-vectors.ts
// Then check it with the independent Python implementation:
//   python3 conformance/tools/murmur3.py
import { writeFileSync } from 'node:fs';
import { BUCKET_LIMIT, bucket, murmur3 } from '../../src/index.js';
import type { BucketVector, MurmurVector } from '../support/hash-vectors.js';

/** Published vectors for MurmurHash3 x86 32 (SMHasher's reference implementation). */
const PUBLISHED: [string, number, number][] = [
  ['', 0, 0],
  ['', 1, 0x514e28b7],
  ['', 0xffffffff, 0x81f16f39],
  ['\0\0\0\0', 0, 0x2362f9de],
  ['aaaa', 0x9747b28c, 0x5a97808a],
  ['aaa', 0x9747b28c, 0x283e0130],
  ['aa', 0x9747b28c, 0x5d211726],
  ['a', 0x9747b28c, 0x7fa09ea6],
  ['abcd', 0x9747b28c, 0xf0478627],
  ['abc', 0x9747b28c, 0xc84a62dd],
  ['ab', 0x9747b28c, 0x74875592],
  ['Hello, world!', 0x9747b28c, 0x24884cba],
  ['ππππππππ', 0x9747b28c, 0xd58063c1],
  ['a'.repeat(256), 0x9747b28c, 0x37405bdc],
  ['abc', 0, 0xb3dd93fa],
  ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', 0, 0xee925b90],
  ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
  ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
  ['test', 0, 0xba6bd213],
  ['Hello, world!', 0, 0xc0363e43],
];

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ascii = (n: number) => Array.from({ length: n }, (_, i) => ALPHABET[i % ALPHABET.length]).join('');

/** Non-ASCII texts: every UTF-8 length (2, 3, 4 bytes), no normalisation, surrogate pairs. */
const UNICODE: [string, string][] = [
  ['Latin-1 (2-byte UTF-8)', 'café'],
  ['German sharp s', 'Straße'],
  ['Latin-1 ÿ (U+00FF)', 'ÿ'],
  ['U+0080, the first 2-byte code point', '\u0080'],
  ['U+07FF, the last 2-byte code point', '\u07ff'],
  ['U+0800, the first 3-byte code point', '\u0800'],
  ['U+FFFF, the last 3-byte code point', '\uffff'],
  ['CJK (3-byte UTF-8)', '日本語'],
  ['CJK mixed with ASCII', '用户-42'],
  ['Hangul', '한국어'],
  ['Cyrillic', 'Привет'],
  ['Arabic (right-to-left)', 'مرحبا'],
  ['emoji (astral plane, 4-byte UTF-8, a surrogate pair in UTF-16)', '😀'],
  ['U+10000, the first 4-byte code point', '\u{10000}'],
  ['U+10FFFF, the last code point', '\u{10ffff}'],
  ['emoji ZWJ sequence', '👩‍💻'],
  ['flag emoji (two regional indicators)', '🇫🇷'],
  ['mathematical letters (astral plane)', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢'],
  ['precomposed é (NFC, U+00E9)', 'é'],
  ['decomposed é (NFD, e + U+0301): hashed as is, no normalisation', 'e\u0301'],
  ['combining marks stacked', 'a\u0300\u0301\u0302'],
  ['a 4-byte character straddling a 4-byte block boundary', 'ab😀cd'],
  ['a 3-byte character straddling a block boundary', 'abc日'],
  ['a 2-byte character straddling a block boundary', 'abcé'],
  ['mixed scripts', 'user-ünïcødé-日本-😀'],
  ['NUL inside text', 'a\u0000b'],
  ['BOM at the start (kept, not stripped)', '\ufeffabc'],
];

function hex(text: string): string {
  return Buffer.from(text, 'utf8').toString('hex');
}

function murmurVector(description: string, text: string, seed: number): MurmurVector {
  return { description, text, utf8: hex(text), seed, hash: murmur3(text, seed) };
}

function murmurVectors(): MurmurVector[] {
  const out: MurmurVector[] = [];
  for (const [text, seed, expected] of PUBLISHED) {
    const v = murmurVector(
      `published reference vector: ${JSON.stringify(text.slice(0, 40))} seed ${seed}`,
      text,
      seed,
    );
    if (v.hash !== expected) throw new Error(`murmur3 disagrees with a published vector: ${v.description}`);
    out.push(v);
  }
  for (let n = 0; n <= 8; n++) out.push(murmurVector(`ASCII, ${n} bytes`, ascii(n), 0));
  for (const n of [15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 4096]) {
    out.push(murmurVector(`ASCII, ${n} bytes (around a block boundary)`, ascii(n), 0));
  }
  for (const seed of [1, 42, 0x7fffffff, 0x80000000, 0xfffffffe]) {
    out.push(murmurVector(`seed ${seed} (treated as unsigned 32-bit)`, 'vexil', seed));
  }
  for (const [description, text] of UNICODE) out.push(murmurVector(description, text, 0));
  out.push(murmurVector('non-ASCII with a seed', 'café', 0x9747b28c));
  return out;
}

function bucketVector(description: string, seed: string, value: string): BucketVector {
  const text = `${seed}/${value}`;
  const rejected: number[] = [];
  let hashSeed = 0;
  let hash = murmur3(text, hashSeed);
  while (hash >= BUCKET_LIMIT) {
    rejected.push(hash);
    hash = murmur3(text, ++hashSeed);
  }
  const b = bucket(seed, value);
  if (b !== hash % 100_000) throw new Error(`bucket() disagrees with the bucketing rule for ${text}`);
  return { description, seed, value, rejected, hashSeed, hash, bucket: b };
}

/** Inputs whose first hash is ≥ BUCKET_LIMIT, found by brute force (≈ 1 in 64 000 inputs). */
const REJECTED: [string, string][] = [
  ['rejection', 'user-77144'],
  ['rejection', 'user-87926'],
  ['rejection', 'user-172444'],
  ['rejection', 'user-184823'],
  ['checkout', 'user-3143'],
  ['checkout', 'user-11642'],
  ['checkout', 'user-83437'],
  ['checkout', 'user-206063'],
];

/** Rejected with hash seeds 0 and 1 (≈ 1 in 4 billion inputs, found with a brute-force C search). */
const REJECTED_TWICE: [string, string][] = [['rejection', 'subject-5064870995']];

function bucketVectors(): BucketVector[] {
  const out: BucketVector[] = [];
  for (let i = 0; i < 10; i++)
    out.push(bucketVector(`user-${i} under a flag key`, 'new-checkout', `user-${i}`));
  out.push(bucketVector('empty seed and empty value', '', ''));
  out.push(bucketVector('empty value', 'new-checkout', ''));
  out.push(bucketVector('empty seed', '', 'user-1'));
  for (let n = 0; n <= 8; n++) out.push(bucketVector(`value of ${n} ASCII bytes`, 'f', ascii(n)));
  for (const total of [11, 12, 13, 15, 16, 17]) {
    out.push(bucketVector(`"seed/" + value: ${total} bytes in all`, 'seed', ascii(total - 5)));
  }
  out.push(bucketVector('a long value (300 bytes)', 'f', ascii(300)));
  out.push(bucketVector('a UUID', 'new-checkout', '0b5e2f5c-6a55-4f53-9d0e-4f6a0f8d4a11'));
  out.push(bucketVector('an email address', 'new-checkout', 'ada@example.com'));
  out.push(bucketVector('a number, as its shortest decimal text', 'new-checkout', '42'));
  out.push(bucketVector('a negative number', 'new-checkout', '-7'));
  out.push(bucketVector('a fraction', 'new-checkout', '1.5'));
  out.push(bucketVector('the same value under another seed buckets independently', 'other-flag', 'user-1'));
  out.push(bucketVector('an experiment variant seed', 'checkout-test', 'user-1'));
  out.push(bucketVector('an experiment allocation seed', 'checkout-test:allocation', 'user-1'));
  out.push(bucketVector('a "/" in the seed: "a/b" + "c" hashes "a/b/c"', 'a/b', 'c'));
  out.push(bucketVector('a "/" in the value: "a" + "b/c" hashes "a/b/c" too', 'a', 'b/c'));
  out.push(bucketVector('non-ASCII value (Latin-1)', 'new-checkout', 'josé'));
  out.push(bucketVector('non-ASCII value (CJK)', 'new-checkout', '用户42'));
  out.push(bucketVector('non-ASCII value (emoji)', 'new-checkout', '😀'));
  out.push(bucketVector('non-ASCII seed', 'drapeau-🇫🇷', 'user-1'));
  out.push(bucketVector('NFC é', 'f', 'é'));
  out.push(bucketVector('NFD é buckets differently: no normalisation', 'f', 'e\u0301'));
  out.push(bucketVector('combining marks', 'f', 'Z\u0351\u0352\u0353'));
  for (const [seed, value] of REJECTED) {
    out.push(bucketVector('first hash rejected (≥ 4294900000): re-hashed with hash seed 1', seed, value));
  }
  for (const [seed, value] of REJECTED_TWICE) {
    out.push(bucketVector('rejected with hash seeds 0 and 1: re-hashed with hash seed 2', seed, value));
  }
  const rejections = (v: BucketVector, list: [string, string][]) =>
    list.some(([seed, value]) => seed === v.seed && value === v.value);
  for (const v of out) {
    const expected = rejections(v, REJECTED_TWICE) ? 2 : rejections(v, REJECTED) ? 1 : 0;
    if (v.rejected.length !== expected)
      throw new Error(`expected ${v.seed}/${v.value} rejected ${expected}×`);
  }
  return out;
}

const vectors = {
  description:
    'Vexil hash vectors. murmur3: MurmurHash3 x86 32-bit of the UTF-8 bytes of text (utf8: those bytes in hex) with a 32-bit unsigned seed. bucket: the bucket in [0, 100000) of value under seed — see README.md.',
  bucketLimit: BUCKET_LIMIT,
  buckets: 100_000,
  murmur3: murmurVectors(),
  bucket: bucketVectors(),
};

const file = new URL('../../../../conformance/hash.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(vectors, null, 2)}\n`);
console.log(
  `wrote ${vectors.murmur3.length} murmur3 and ${vectors.bucket.length} bucket vectors to ${file.pathname}`,
);
