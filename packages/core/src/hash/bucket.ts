import { TOTAL_WEIGHT } from '../schema/primitives.js';
import { Murmur3, murmur3 } from './murmur3.js';

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
    let h = scratch.copyFrom(this.prefix).update(value).digest();
    if (h >= BUCKET_LIMIT) h = rehash(this.text + value);
    return h % TOTAL_WEIGHT;
  }
}

const scratch = new Murmur3();

function rehash(text: string): number {
  for (let attempt = 1; ; attempt++) {
    const h = murmur3(text, attempt);
    if (h < BUCKET_LIMIT) return h;
  }
}

/** The bucket in [0, 100000) of `value` under `seed`. */
export function bucket(seed: string, value: string): number {
  return new BucketHasher(seed).bucket(value);
}
