import { BucketHasher } from '../hash/bucket.js';
import { weightedBuckets } from '../hash/weighted-buckets.js';
import type { WeightTable } from '../schema/subject-weights.js';

/** Where a rollout or experiment gets a subject's bucket: its hash, or a weight table's layout. */
export interface Bucketer {
  /** The bucket in [0, 100000) of a bucket-by value. */
  bucket(value: string): number;
}

/** Buckets from a weight table's layout; subjects the table doesn't list keep their hash bucket. */
export class WeightedBucketer implements Bucketer {
  constructor(
    readonly table: string,
    private readonly layout: ReadonlyMap<string, number>,
    private readonly hasher: BucketHasher,
  ) {}

  bucket(value: string): number {
    const b = this.layout.get(value);
    return b === undefined ? this.hasher.bucket(value) : b;
  }

  /** Whether the table lists this subject (for traces). */
  lists(value: string): boolean {
    return this.layout.has(value);
  }
}

/**
 * The weight tables of a flag set. A table is laid out once per seed that uses it (the
 * layout depends on the seed), on first use, and shared by every environment.
 */
export class SubjectWeights {
  private readonly layouts = new Map<string, WeightedBucketer>();

  constructor(private readonly tables: Readonly<Record<string, WeightTable>>) {}

  /** The bucketer for `seed`: the table's layout, or plain hashing when there is no table. */
  bucketer(table: string | undefined, seed: string): Bucketer {
    // Own properties only: a table may be named "constructor".
    if (table === undefined || !Object.hasOwn(this.tables, table)) return new BucketHasher(seed);
    const source = this.tables[table]!;
    const id = `${table}\u0000${seed}`;
    let bucketer = this.layouts.get(id);
    if (bucketer === undefined) {
      bucketer = new WeightedBucketer(table, weightedBuckets(seed, source.weights), new BucketHasher(seed));
      this.layouts.set(id, bucketer);
    }
    return bucketer;
  }
}

/** For sets without tables (and compilers called without any). */
export const NO_SUBJECT_WEIGHTS = new SubjectWeights({});

/** How a weighted rollout bucketed a value, for traces: ` weighted by "accounts" ("acme" listed: bucket 41234)`. */
export function describeWeighting(bucketer: Bucketer, table: string, value: string | undefined): string {
  const head = ` weighted by table ${JSON.stringify(table)}`;
  if (value === undefined) return head;
  const listed = bucketer instanceof WeightedBucketer && bucketer.lists(value);
  return `${head} (${JSON.stringify(value)} ${listed ? 'is listed: weighted bucket' : 'is not listed: hash bucket'} ${bucketer.bucket(value)})`;
}
