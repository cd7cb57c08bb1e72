import { TOTAL_WEIGHT } from '../schema/primitives.js';
import { finish, Murmur3, mixBlock, murmur3 } from './murmur3.js';
import { Utf8Buffer } from './utf8-buffer.js';

/**
 * Buckets in [0, 100000): MurmurHash3 x86 32 (hash seed 0) over the UTF-8 bytes of
 * `seed + "/" + value`. Hashes at or above 4 294 900 000 (the largest multiple of
 * 100 000 below 2^32) are rejected and the same bytes hashed again with hash seed 1,
 * 2, … until one falls below it; the bucket is that hash modulo 100 000. Rejection
 * makes every bucket exactly equally likely (no modulo bias).
 */
export const BUCKET_LIMIT = 4_294_900_000;

/** The hash state after `seed + "/"`, computed once per rollout. */
export class BucketHasher {
  private readonly prefix: Murmur3;
  private readonly text: string;

  constructor(seed: string) {
    this.text = `${seed}/`;
    this.prefix = new Murmur3().reset(0).update(this.text);
  }

  /** The bucket of `value` under this seed. */
  bucket(value: string): number {
    let b: number;
    if (value === held.value) b = toBucket(hashBytes(this.prefix, held.bytes, held.length));
    else {
      b = hashAscii(this.prefix, value);
      if (b === Hashed.NotAscii) b = toBucket(hashBytes(this.prefix, utf8.hold(value).bytes, utf8.length));
    }
    return b === Hashed.Rejected ? rehash(this.text + value) : b;
  }
}

/** Outcomes besides a bucket; an enum so that they compile to literals (see murmur3.ts). */
enum Hashed {
  NotAscii = -1,
  Rejected = -2,
}

/**
 * The bucket of a finished hash (a signed 32-bit integer), or `Hashed.Rejected`. Done where the
 * hash is computed so the unsigned value, which may not fit a small integer, never leaves
 * the function (a heap number each time, otherwise).
 */
function toBucket(h: number): number {
  const u = h >>> 0;
  // BUCKET_LIMIT and TOTAL_WEIGHT as literals (see murmur3.ts: constants, not loads).
  return u >= 4_294_900_000 ? Hashed.Rejected : u % 100_000;
}

/** A value held encoded by `holdBucketValue` (shared: evaluation is synchronous). */
const held = new Utf8Buffer();
/** Scratch space for encoding values that are not ASCII. */
const utf8 = new Utf8Buffer();

/** Keeps `value` encoded, so the buckets of many flags for one subject hash it without re-reading it. */
export function holdBucketValue(value: unknown): void {
  if (typeof value === 'string') held.hold(value);
}

/**
 * Ends what `holdBucketValue` began. Until then every bucket compares its value with the
 * held one, which for two different keys of one length means comparing characters.
 */
export function releaseBucketValue(): void {
  held.value = undefined;
}

/**
 * The hash of prefix + value straight from the string when it is ASCII (the common
 * case), four characters at a time, as a bucket; `Hashed.NotAscii` or `Hashed.Rejected` otherwise.
 * Characters are OR-ed together and tested once at the end: reading them (`charCodeAt`)
 * is most of the cost, and a branch per block added an eighth to it.
 */
function hashAscii(prefix: Murmur3, value: string): number {
  const len = value.length;
  let h1 = prefix.h1;
  let k = prefix.k;
  let n = prefix.n;
  let seen = 0;
  let i = 0;
  if (n !== 0) {
    // Complete the prefix's partial block (or hold the whole value in it, when that is shorter).
    const fill = Math.min(4 - n, len);
    for (; i < fill; i++) {
      const c = value.charCodeAt(i);
      seen |= c;
      k |= c << ((n + i) << 3);
    }
    n += fill;
    if (n === 4) {
      h1 = mixBlock(h1, k);
      k = 0;
      n = 0;
    }
  }
  const blocks = len - ((len - i) & 3);
  for (; i < blocks; i += 4) {
    const c0 = value.charCodeAt(i);
    const c1 = value.charCodeAt(i + 1);
    const c2 = value.charCodeAt(i + 2);
    const c3 = value.charCodeAt(i + 3);
    seen |= c0 | c1 | c2 | c3;
    h1 = mixBlock(h1, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24));
  }
  for (; i < len; i++) {
    const c = value.charCodeAt(i);
    seen |= c;
    k |= c << (n++ << 3);
  }
  if (seen >= 0x80) return Hashed.NotAscii;
  return toBucket(finish(h1, k, n, prefix.length + len));
}

/** Continues the prefix's hash over `length` bytes, four at a time, without touching the heap. */
function hashBytes(prefix: Murmur3, bytes: Uint8Array, length: number): number {
  let h1 = prefix.h1;
  let k = prefix.k;
  let n = prefix.n;
  let i = 0;
  // Fill the prefix's partial block first.
  while (n !== 0 && i < length) {
    k |= bytes[i++]! << (n << 3);
    if (++n === 4) {
      h1 = mixBlock(h1, k);
      k = 0;
      n = 0;
    }
  }
  const blocks = length - ((length - i) & 3);
  for (; i < blocks; i += 4) {
    h1 = mixBlock(h1, bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
  }
  for (; i < length; i++) k |= bytes[i]! << (n++ << 3);
  return finish(h1, k, n, prefix.length + length);
}

/** The bucket after a rejected hash: hash the same bytes with hash seeds 1, 2, … */
function rehash(text: string): number {
  for (let attempt = 1; ; attempt++) {
    const h = murmur3(text, attempt);
    if (h < BUCKET_LIMIT) return h % TOTAL_WEIGHT;
  }
}

/** The bucket in [0, 100000) of `value` under `seed`. */
export function bucket(seed: string, value: string): number {
  return new BucketHasher(seed).bucket(value);
}
