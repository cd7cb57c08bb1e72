/**
 * The benchmark's scenarios, stated once. Every implementation (Vexil and each peer)
 * builds its own configuration from these constants, so they all mean the same thing.
 */

/** S1: a boolean flag that is simply on. */
export const S1_KEY = 's1-on';
/** S2: a string flag with three ordered rules and a 50/50 rollout. */
export const S2_KEY = 's2-rules';
/** S3: a boolean on for 25 % of targeting keys. */
export const S3_KEY = 's3-rollout';
/** S4: `evaluateAll` over this many flags like S2. */
export const S4_FLAG_COUNT = 200;

/** The variants of S2 (each variant's value is its name). */
export const S2_VARIANTS = ['a', 'b', 'c'] as const;
export type S2Variant = (typeof S2_VARIANTS)[number];

/** S2's rules, in order; the first that matches serves its variant. */
export const S2_RULES = {
  /** country in [US, CA] → a */
  countries: ['US', 'CA'],
  /** plan = enterprise and seats > 100 → b */
  plan: 'enterprise',
  seatsAbove: 100,
  /** email ends with @example.com → c */
  emailSuffix: '@example.com',
} as const;

/** S2's fallback: a rollout between a and b, bucketed on the targeting key (percent each). */
export const S2_ROLLOUT_PERCENT = { a: 50, b: 50 } as const;
/** S3: share of targeting keys that get `true` (percent). */
export const S3_ON_PERCENT = 25;

/** Keys of the S4 flags: `s4-000` … `s4-199`. */
export function s4Keys(): string[] {
  return Array.from({ length: S4_FLAG_COUNT }, (_, i) => `s4-${String(i).padStart(3, '0')}`);
}

/** Which branch of S2 a context takes. */
export type S2Branch = 'country' | 'enterprise' | 'email' | 'rollout';

/** The variant a rule branch serves (the rollout branch depends on hashing). */
export const BRANCH_VARIANT: Record<Exclude<S2Branch, 'rollout'>, S2Variant> = {
  country: 'a',
  enterprise: 'b',
  email: 'c',
};
