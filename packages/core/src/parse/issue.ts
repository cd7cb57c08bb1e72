/** One problem found in a flag set, with the path to the offending value. */
export interface FlagSetIssue {
  /** Path segments: object keys and array indexes. */
  readonly path: readonly (string | number)[];
  readonly message: string;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$-]*$/;

/** Renders a path the way people write it: `flags.checkout.rules[2].conditions[0].op`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else {
      const name = String(segment);
      if (IDENTIFIER.test(name)) out += out === '' ? name : `.${name}`;
      else out += `[${JSON.stringify(name)}]`;
    }
  }
  return out;
}

/** `path: message`, or just the message for the root. */
export function formatIssue(issue: FlagSetIssue): string {
  const path = formatPath(issue.path);
  return path === '' ? issue.message : `${path}: ${issue.message}`;
}
