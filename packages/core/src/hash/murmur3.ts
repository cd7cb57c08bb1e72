import { Utf8Buffer } from './utf8-buffer.js';

/**
 * MurmurHash3, x86 32-bit variant, over the UTF-8 bytes of a string (lone surrogates
 * encode as U+FFFD, as `TextEncoder` does).
 */
// The constants c1 = 0xcc9e2d51 and c2 = 0x1b873593 are written as literals where they are
// used: a module-level constant above 2^30 is a heap number that V8 loads and unboxes on
// every use (and a bundler turns a top-level `const` into a `var`), which made hashing a
// third slower.

/** Incremental hash state; `update` may be called several times before `digest`. */
export class Murmur3 {
  /** Running hash. */
  h1 = 0;
  /** Bytes not yet mixed (little-endian), and how many. */
  k = 0;
  n = 0;
  /** Bytes hashed so far. */
  length = 0;

  /** Starts over with a hash seed, or from the state another hasher reached. */
  reset(seed: number): this {
    this.h1 = seed | 0;
    this.k = 0;
    this.n = 0;
    this.length = 0;
    return this;
  }

  /** Copies another hasher's state (to continue after a shared prefix). */
  copyFrom(other: Murmur3): this {
    this.h1 = other.h1;
    this.k = other.k;
    this.n = other.n;
    this.length = other.length;
    return this;
  }

  update(text: string): this {
    const { bytes, length } = encoded.hold(text);
    for (let i = 0; i < length; i++) this.byte(bytes[i]!);
    return this;
  }

  /** The 32-bit hash, unsigned. Leaves the state unusable until `reset`. */
  digest(): number {
    return finish(this.h1, this.k, this.n, this.length) >>> 0;
  }

  private byte(b: number): void {
    this.k |= b << (this.n << 3);
    this.length++;
    if (++this.n === 4) {
      this.h1 = mixBlock(this.h1, this.k);
      this.k = 0;
      this.n = 0;
    }
  }
}

/** Mixes one little-endian 4-byte block into the running hash. */
export function mixBlock(h1: number, k1: number): number {
  k1 = Math.imul(k1, 0xcc9e2d51);
  k1 = (k1 << 15) | (k1 >>> 17);
  k1 = Math.imul(k1, 0x1b873593);
  h1 ^= k1;
  h1 = (h1 << 13) | (h1 >>> 19);
  return (Math.imul(h1, 5) + 0xe6546b64) | 0;
}

/**
 * Mixes the last 0–3 bytes and the length, and finalizes. Returns the hash as a signed
 * 32-bit integer (`>>> 0` gives the unsigned value): a small integer stays unboxed.
 */
export function finish(h1: number, k1: number, n: number, length: number): number {
  if (n > 0) {
    k1 = Math.imul(k1, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, 0x1b873593);
  }
  h1 ^= length;
  h1 ^= h1 >>> 16;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0xc2b2ae35);
  return h1 ^ (h1 >>> 16);
}

const shared = new Murmur3();
/** Scratch space for `update` (hashing is synchronous). */
const encoded = new Utf8Buffer();

/** MurmurHash3 x86 32 of the UTF-8 bytes of `text`, as an unsigned integer. */
export function murmur3(text: string, seed = 0): number {
  return shared.reset(seed).update(text).digest();
}
