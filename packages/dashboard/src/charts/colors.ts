/** Distinct, colour-blind-friendly colours (Okabe–Ito, reordered), one per variant. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/** A colour per variant name, stable for a given list of names (bucket order); grey for others. */
export function variantColors(names: readonly string[]): (name: string) => string {
  const index = new Map(names.map((name, i) => [name, i]));
  return (name) => {
    const i = index.get(name);
    return i === undefined ? '#6b7280' : PALETTE[i % PALETTE.length]!;
  };
}
