import { diffLines } from 'diff';

/** JSON with object keys sorted, two-space indented: equal values print the same. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 2) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** One line of a diff, or a run of unchanged lines left out. */
export type DiffLine =
  | {
      readonly kind: 'same' | 'add' | 'del';
      readonly text: string;
      readonly oldLine?: number;
      readonly newLine?: number;
    }
  | { readonly kind: 'skip'; readonly count: number };

/**
 * A line diff of two JSON values (keys sorted), keeping `context` unchanged lines around each
 * change and folding the rest into `skip` entries.
 */
export function diffJson(before: unknown, after: unknown, context = 3): DiffLine[] {
  const a = before === undefined ? '' : `${stableStringify(before)}\n`;
  const b = after === undefined ? '' : `${stableStringify(after)}\n`;
  const lines: Exclude<DiffLine, { kind: 'skip' }>[] = [];
  let oldLine = 1;
  let newLine = 1;
  for (const change of diffLines(a, b)) {
    const texts = change.value.replace(/\n$/, '').split('\n');
    for (const text of texts) {
      if (change.added) lines.push({ kind: 'add', text, newLine: newLine++ });
      else if (change.removed) lines.push({ kind: 'del', text, oldLine: oldLine++ });
      else lines.push({ kind: 'same', text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  const keep = lines.map(() => false);
  lines.forEach((line, i) => {
    if (line.kind === 'same') return;
    for (let j = Math.max(0, i - context); j <= Math.min(lines.length - 1, i + context); j++) keep[j] = true;
  });
  const out: DiffLine[] = [];
  let skipped = 0;
  lines.forEach((line, i) => {
    if (keep[i]) {
      if (skipped > 0) out.push({ kind: 'skip', count: skipped });
      skipped = 0;
      out.push(line);
    } else skipped++;
  });
  if (skipped > 0) out.push({ kind: 'skip', count: skipped });
  return out;
}

/** One changed field: its path (`environments.production.enabled`) and both values. */
export interface FieldChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The fields that differ between two values, deepest object path first reported once: objects
 * are walked, arrays and scalars compared whole (a changed rule list is one change).
 */
export function changedFields(before: unknown, after: unknown, path = ''): FieldChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      changedFields(before[key], after[key], path === '' ? key : `${path}.${key}`),
    );
  }
  if (stableStringify(before) === stableStringify(after)) return [];
  return [{ path, before, after }];
}

/** A short summary of what changed: `environments.production.enabled: false → true`. */
export function summarizeChanges(before: unknown, after: unknown, ignore: readonly string[] = []): string[] {
  return changedFields(before, after)
    .filter((c) => !ignore.some((p) => c.path === p || c.path.startsWith(`${p}.`)))
    .map((c) => `${c.path}: ${short(c.before)} → ${short(c.after)}`);
}

function short(value: unknown): string {
  if (value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
