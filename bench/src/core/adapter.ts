/** The four scenarios. */
export const SCENARIOS = ['S1', 'S2', 'S3', 'S4'] as const;
export type ScenarioId = (typeof SCENARIOS)[number];

export type MaybePromise<T> = T | Promise<T>;

/** A timed loop: `n` evaluations over the pool starting at context `from` (cycling); returns a sink value. */
export type Loop = (from: number, n: number) => MaybePromise<number>;

/**
 * One implementation under test, set up with every scenario's flags and the context
 * pool already converted to its own shape. Each adapter writes its own loops so that
 * no call site is shared (and made megamorphic) between implementations.
 */
export interface CoreAdapter {
  readonly name: string;
  /** Whether its evaluation API returns promises (then loops await each call in turn). */
  readonly async: boolean;
  /** The call measured for each scenario, for the printed notes. */
  readonly api: Readonly<Record<ScenarioId, string>>;
  /** One evaluation of S1 for pool context `i`. */
  s1(i: number): MaybePromise<boolean>;
  /** One evaluation of S2: the variant served. */
  s2(i: number): MaybePromise<string>;
  s3(i: number): MaybePromise<boolean>;
  /** One S4 call: flag key → variant served. */
  s4(i: number): MaybePromise<Record<string, string>>;
  readonly loops: Readonly<Record<ScenarioId, Loop>>;
  close(): Promise<void>;
}

/** Builds an adapter over a pool of contexts. */
export type AdapterFactory<C> = (contexts: readonly C[]) => Promise<CoreAdapter>;
