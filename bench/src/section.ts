/** Options given to every benchmark section (each uses those that apply to it). */
export interface RunOptions {
  /** Samples per measurement (default chosen by the section). */
  readonly samples: number | undefined;
  /** Only these implementations (names as printed); empty = all. */
  readonly impls: readonly string[];
  /** Only these scenarios (e.g. `S2`); empty = all. */
  readonly scenarios: readonly string[];
  /** Only these parts of a section (e.g. the server's `propagation`); empty = all. */
  readonly parts: readonly string[];
}

/** A part of `npm run bench`, selected by name on the command line. */
export interface BenchSection {
  readonly name: string;
  readonly description: string;
  run(options: RunOptions): Promise<void>;
}
