/** The shape of conformance/subject-weights.json. */
export interface WeightVector {
  description: string;
  seed: string;
  weights: Record<string, number>;
  /** The subjects in layout order: hash bucket, weight and weighted bucket. */
  layout: { subject: string; hashBucket: number; weight: number; bucket: number }[];
}

export interface WeightFile {
  buckets: number;
  maxTotalWeight: number;
  layouts: WeightVector[];
}
