import type { FlagSetIssue } from './issue.js';

type Path = readonly (string | number)[];

/** The names of a set's weight tables (own keys only: a table may be named "constructor"). */
export function weightTableNames(tables: Readonly<Record<string, unknown>> | undefined): ReadonlySet<string> {
  return new Set(tables === undefined ? [] : Object.keys(tables));
}

/**
 * Checks a rollout's or experiment's `weightedBy`: the table must exist, and a random
 * rollout can't be weighted (it draws a fresh bucket on every evaluation).
 */
export function checkWeightedBy(
  source: { readonly weightedBy?: string | undefined; readonly random?: boolean | undefined },
  tables: ReadonlySet<string>,
  path: Path,
  issues: FlagSetIssue[],
): void {
  const table = source.weightedBy;
  if (table === undefined) return;
  if (!tables.has(table)) {
    const known = tables.size === 0 ? 'none' : [...tables].map((t) => JSON.stringify(t)).join(', ');
    issues.push({
      path: [...path, 'weightedBy'],
      message: `unknown weight table ${JSON.stringify(table)}; the set's subjectWeights has ${known}`,
    });
  }
  if (source.random === true) {
    issues.push({
      path: [...path, 'weightedBy'],
      message: 'a random rollout cannot be weighted: it draws a new bucket on every evaluation',
    });
  }
}
