/** Distinct, colour-blind-friendly colours (Okabe–Ito, reordered), one per variant. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000'];

/**
 * A colour per variant name, by its place among the names sorted (bucket order), so a variant
 * has the same colour in every chart of a flag; grey for names not given.
 */
export function variantColors(names: readonly string[]): (name: string) => string {
  const sorted = [...new Set(names)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map(sorted.map((name, i) => [name, i]));
  return (name) => {
    const i = index.get(name);
    return i === undefined ? '#6b7280' : PALETTE[i % PALETTE.length]!;
  };
}
