// The shape of conformance/hash.json, shared by its writer and its runner.

export interface MurmurVector {
  description: string;
  text: string;
  /** The text's UTF-8 bytes, in hex. */
  utf8: string;
  seed: number;
  hash: number;
}

export interface BucketVector {
  description: string;
  seed: string;
  value: string;
  /** Hashes of `seed/value` that were rejected (≥ BUCKET_LIMIT), with hash seeds 0, 1, … */
  rejected: number[];
  /** The hash seed of the accepted hash. */
  hashSeed: number;
  /** The accepted hash. */
  hash: number;
  bucket: number;
}

export interface HashFile {
  bucketLimit: number;
  buckets: number;
  murmur3: MurmurVector[];
  bucket: BucketVector[];
}
