import { S2_RULES, type S2Branch } from './spec.js';

/**
 * One subject, as every implementation receives it (each peer converts it to its own
 * shape once). A type alias, not an interface, so it is assignable to Vexil's context.
 */
export type BenchContext = {
  readonly targetingKey: string;
  readonly country?: string;
  readonly plan?: string;
  readonly seats?: number;
  readonly email?: string;
};

/** How many contexts the benchmark cycles through. */
export const POOL_SIZE = 10_000;

/**
 * A deterministic pool of realistic contexts: UUID targeting keys; some in US/CA (and a
 * few lower-case `us`, which must not match); enterprise plans with seats above, at and
 * below 100; `@example.com` emails next to look-alikes (`@example.com.au`,
 * `@mail.example.com`); missing attributes; contexts matching several rules (the first
 * rule must win). About half fall through to the rollout. The pool goes through JSON
 * at the end, as contexts arrive in a server: every string is flat, none is a rope
 * left over from building it (hashing a rope is markedly slower in every library).
 */
export function buildContexts(size = POOL_SIZE, seed = 20_260_131): BenchContext[] {
  const random = mulberry32(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const contexts: BenchContext[] = [];
  for (let i = 0; i < size; i++) {
    const ctx: { -readonly [K in keyof BenchContext]: BenchContext[K] } = { targetingKey: uuid(random) };
    const c = random();
    if (c < 0.21) ctx.country = pick(['US', 'CA']);
    else if (c < 0.22) ctx.country = 'us';
    else if (c < 0.8) ctx.country = pick(['DE', 'FR', 'GB', 'JP', 'BR', 'IN', 'MX', 'ES', 'AU']);
    const p = random();
    if (p < 0.25) {
      ctx.plan = 'enterprise';
      const s = random();
      ctx.seats =
        s < 0.6 ? 101 + Math.floor(random() * 5000) : s < 0.65 ? 100 : 1 + Math.floor(random() * 100);
    } else if (p < 0.9) {
      ctx.plan = pick(['free', 'pro', 'team', 'Enterprise']);
      ctx.seats = 1 + Math.floor(random() * 500);
    }
    const e = random();
    const user = `user${Math.floor(random() * 1_000_000)}`;
    if (e < 0.18) ctx.email = `${user}${S2_RULES.emailSuffix}`;
    else if (e < 0.92)
      ctx.email = `${user}@${pick(['gmail.com', 'corp.io', 'example.org', 'example.com.au', 'mail.example.com'])}`;
    contexts.push(ctx);
  }
  return JSON.parse(JSON.stringify(contexts)) as BenchContext[];
}

/** The branch S2 must take for a context — written independently of every implementation. */
export function expectedBranch(ctx: BenchContext): S2Branch {
  if (ctx.country !== undefined && (S2_RULES.countries as readonly string[]).includes(ctx.country))
    return 'country';
  if (ctx.plan === S2_RULES.plan && ctx.seats !== undefined && ctx.seats > S2_RULES.seatsAbove)
    return 'enterprise';
  if (ctx.email?.endsWith(S2_RULES.emailSuffix)) return 'email';
  return 'rollout';
}

/** A small, seedable PRNG (mulberry32), so the pool is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function uuid(random: () => number): string {
  let hex = '';
  for (let i = 0; i < 32; i++) {
    let digit = Math.floor(random() * 16);
    if (i === 12) digit = 4;
    else if (i === 16) digit = 8 | (digit & 3);
    hex += digit.toString(16);
  }
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
