import { formatWeight, percentToWeight, TOTAL } from '../lib/rollout.js';

/** Percent text per variant, as a person types it. */
export type PercentDraft = Record<string, string>;

export function draftOf(
  names: readonly string[],
  weights: Readonly<Record<string, number>> | undefined,
): PercentDraft {
  const out: PercentDraft = {};
  for (const name of names) out[name] = String(Number(((weights?.[name] ?? 0) / 1000).toFixed(3)));
  return out;
}

/** The weights a draft means, or a sentence saying what is wrong with it. */
export function weightsOf(draft: PercentDraft): { weights: Record<string, number> } | { problem: string } {
  const weights: Record<string, number> = {};
  for (const [name, text] of Object.entries(draft)) {
    const weight = percentToWeight(text === '' ? '0' : text);
    if (weight === undefined)
      return { problem: `${name}: “${text}” is not a percentage (0–100, up to 3 decimals)` };
    weights[name] = weight;
  }
  const sum = Object.values(weights).reduce((a, b) => a + b, 0);
  if (sum !== TOTAL) return { problem: `the percentages add up to ${formatWeight(sum)}, not 100%` };
  return { weights };
}

/**
 * One percentage input per variant, with the total. With two variants, typing one fills
 * in the other (25 → 75).
 */
export function WeightsInput(props: {
  idPrefix: string;
  draft: PercentDraft;
  onChange: (d: PercentDraft) => void;
  legend: string;
}) {
  const names = Object.keys(props.draft);
  const result = weightsOf(props.draft);
  return (
    <fieldset className="weights">
      <legend>{props.legend}</legend>
      <div className="weights-grid">
        {names.map((name) => (
          <label key={name} className="weight" htmlFor={`${props.idPrefix}-${name}`}>
            <span>{name}</span>
            <span className="input-suffix">
              <input
                id={`${props.idPrefix}-${name}`}
                aria-label={`Percent for ${name}`}
                inputMode="decimal"
                value={props.draft[name]}
                onChange={(e) => {
                  const next = { ...props.draft, [name]: e.target.value };
                  if (names.length === 2) {
                    const other = names.find((n) => n !== name)!;
                    const weight = percentToWeight(e.target.value === '' ? '0' : e.target.value);
                    if (weight !== undefined)
                      next[other] = String(Number(((TOTAL - weight) / 1000).toFixed(3)));
                  }
                  props.onChange(next);
                }}
              />
              %
            </span>
          </label>
        ))}
      </div>
      <div className={'problem' in result ? 'field-issues' : 'muted small'} role="status">
        {'problem' in result ? result.problem : 'Total 100% ✓'}
      </div>
    </fieldset>
  );
}
