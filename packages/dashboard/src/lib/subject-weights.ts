import { ApiError } from '../api/errors.js';
import type { WeightTablePatch } from '../api/vexil-api.js';

/** One subject of a weight table (an account, a tenant) with its weight. */
export interface Subject {
  readonly subject: string;
  readonly weight: number;
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The subjects heaviest first; equal weights by code point of the name. */
export function heaviestFirst(weights: Readonly<Record<string, number>>): Subject[] {
  return Object.entries(weights)
    .map(([subject, weight]) => ({ subject, weight }))
    .sort((a, b) => b.weight - a.weight || byCodePoint(a.subject, b.subject));
}

/** A share of a whole as a percentage people read: `0.5` → `50%`, `0.1234` → `12.3%`, `0.00042` → `0.042%`. */
export function formatShare(fraction: number): string {
  const percent = fraction * 100;
  if (!Number.isFinite(percent) || percent <= 0) return '0%';
  if (percent >= 99.95 && percent < 100) return '99.9%';
  const digits = percent >= 1 ? 1 : Math.min(6, 1 - Math.floor(Math.log10(percent)));
  const shown = Number(percent.toFixed(digits));
  return shown === 0 ? '<0.000001%' : `${shown}%`;
}

/** `1234567` → `1,234,567` (weights are whole numbers up to 10¹⁰). */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** One bar of the Pareto chart: a subject (or the rest together) with its share and the running total. */
export interface ParetoRow {
  readonly name: string;
  /** Percent of the table's weight (0–100). */
  readonly share: number;
  /** Percent held by this bar and every bar before it. */
  readonly cumulative: number;
  /** For the last bar when the table has more subjects than bars: how many it stands for. */
  readonly others?: number;
}

/**
 * The `top` heaviest subjects one bar each, heaviest first, then (when there are more) one
 * bar for all the others together, so the bars always add up to the whole table.
 */
export function paretoRows(sorted: readonly Subject[], total: number, top = 20): ParetoRow[] {
  if (total <= 0) return [];
  const rows: ParetoRow[] = [];
  let sum = 0;
  for (const { subject, weight } of sorted.slice(0, top)) {
    sum += weight;
    rows.push({ name: subject, share: (weight / total) * 100, cumulative: (sum / total) * 100 });
  }
  if (sorted.length > top) {
    const rest = total - sum;
    rows.push({
      name: `${formatCount(sorted.length - top)} others`,
      share: (rest / total) * 100,
      cumulative: 100,
      others: sorted.length - top,
    });
  }
  return rows;
}

/** How concentrated a table's weight is. */
export interface Concentration {
  readonly subjects: number;
  readonly total: number;
  readonly heaviest: (Subject & { readonly share: number }) | undefined;
  /** How few of the heaviest subjects hold at least half the weight. */
  readonly halfHeldBy: number;
  /** The share of the weight the heaviest fifth of the subjects hold (0–1). */
  readonly topFifthShare: number;
}

export function concentration(sorted: readonly Subject[], total: number): Concentration {
  const first = sorted[0];
  let halfHeldBy = 0;
  let sum = 0;
  while (halfHeldBy < sorted.length && sum * 2 < total) sum += sorted[halfHeldBy++]!.weight;
  const fifth = Math.ceil(sorted.length / 5);
  let fifthSum = 0;
  for (let i = 0; i < fifth; i++) fifthSum += sorted[i]!.weight;
  return {
    subjects: sorted.length,
    total,
    heaviest: first === undefined || total <= 0 ? undefined : { ...first, share: first.weight / total },
    halfHeldBy,
    topFifthShare: total > 0 ? fifthSum / total : 0,
  };
}

/** Buckets run from 0 to 100 000 (thousandths of a percent), as rollout weights do. */
const BUCKETS = 100_000;

/**
 * How many of the table's subjects a weighted rollout of `threshold` (thousandths of a
 * percent) serves, at the fewest and the most. The core lays the subjects along the buckets
 * in an order that depends on the seed, each at the middle of its stretch,
 * `floor((2 × before + w) × 100000 / (2 × W))`, and serves those below the threshold.
 * Heaviest first serves the fewest, lightest first the most (swapping a lighter subject
 * ahead of a heavier one only moves both midpoints down): every seed falls in between.
 */
export function weightedReach(
  sorted: readonly Subject[],
  total: number,
  threshold: number,
): { fewest: number; most: number } {
  const served = (order: Iterable<Subject>) => {
    let before = 0;
    let count = 0;
    for (const { weight } of order) {
      if (Math.floor(((2 * before + weight) * BUCKETS) / (2 * total)) >= threshold) break;
      before += weight;
      count++;
    }
    return count;
  };
  if (total <= 0) return { fewest: 0, most: 0 };
  return { fewest: served(sorted), most: served(reversed(sorted)) };
}

function* reversed<T>(items: readonly T[]): Iterable<T> {
  for (let i = items.length - 1; i >= 0; i--) yield items[i]!;
}

/**
 * A weight as typed, for the API: a number when it reads as one, otherwise the text itself
 * (the server refuses it, naming the subject: `weights.acme: expected number, got string`).
 */
export function weightValue(text: string): number | string {
  const trimmed = text.trim();
  const n = Number(trimmed);
  return trimmed !== '' && Number.isFinite(n) ? n : text;
}

/** Pending edits of a table's subjects: subject → the weight typed, or `null` to remove it. */
export type WeightChanges = ReadonlyMap<string, string | null>;

/** The changes that change something (a weight typed back to what it was is none). */
export function effectiveChanges(
  saved: Readonly<Record<string, number>>,
  changes: WeightChanges,
): WeightChanges {
  const out = new Map<string, string | null>();
  for (const [subject, value] of changes) {
    const has = Object.hasOwn(saved, subject);
    if (value === null ? has : !has || weightValue(value) !== saved[subject]) out.set(subject, value);
  }
  return out;
}

/** What is pending, in words: "2 added, 1 changed, 1 removed". */
export function describeChanges(saved: Readonly<Record<string, number>>, changes: WeightChanges): string {
  let added = 0;
  let changed = 0;
  let removed = 0;
  for (const [subject, value] of changes) {
    if (value === null) removed++;
    else if (Object.hasOwn(saved, subject)) changed++;
    else added++;
  }
  const parts = [
    added > 0 ? `${formatCount(added)} added` : '',
    changed > 0 ? `${formatCount(changed)} changed` : '',
    removed > 0 ? `${formatCount(removed)} removed` : '',
  ].filter((p) => p !== '');
  return parts.length === 0 ? 'no changes' : parts.join(', ');
}

/** The table's total weight once the changes are saved (weights that aren't numbers count 0). */
export function totalAfter(
  saved: Readonly<Record<string, number>>,
  savedTotal: number,
  changes: WeightChanges,
): number {
  let total = savedTotal;
  for (const [subject, value] of changes) {
    total -= saved[subject] ?? 0;
    if (value !== null) {
      const w = weightValue(value);
      if (typeof w === 'number' && w > 0) total += w;
    }
  }
  return total;
}

/** The merge patch that makes the changes (only the subjects that change), or undefined for none. */
export function patchOf(
  saved: { readonly description?: string; readonly weights: Readonly<Record<string, number>> },
  changes: WeightChanges,
  description: string | undefined,
): WeightTablePatch | undefined {
  const patch: WeightTablePatch = {};
  const effective = effectiveChanges(saved.weights, changes);
  if (effective.size > 0) {
    // fromEntries makes own properties, even of a subject called "__proto__".
    patch.weights = Object.fromEntries(
      [...effective].map(([subject, value]) => [subject, value === null ? null : weightValue(value)]),
    );
  }
  if (description !== undefined && description.trim() !== (saved.description ?? '')) {
    patch.description = description.trim() === '' ? null : description.trim();
  }
  return patch.weights === undefined && patch.description === undefined ? undefined : patch;
}

/** A saved subject with its place by weight (heaviest 1). */
export interface RankedSubject extends Subject {
  readonly rank: number;
}

/** The saved subjects heaviest first with their places; those whose name contains `search` (any case). */
export function rankSubjects(sorted: readonly Subject[]): RankedSubject[] {
  return sorted.map((s, i) => ({ ...s, rank: i + 1 }));
}

export function findSubjects(ranked: readonly RankedSubject[], search: string): readonly RankedSubject[] {
  const q = search.trim().toLowerCase();
  return q === '' ? ranked : ranked.filter((s) => s.subject.toLowerCase().includes(q));
}

/** One row of the subjects editor. */
export interface SubjectRow {
  readonly subject: string;
  /** The saved weight; undefined for a subject being added. */
  readonly saved: number | undefined;
  /** The weight as it will be saved (typed), or null when it is being removed. */
  readonly value: string | null;
  /** Place by saved weight, heaviest 1; undefined for a subject being added. */
  readonly rank: number | undefined;
}

/**
 * One page of the rows to show: subjects being added first (latest first), then `saved` (the
 * saved subjects to show, heaviest first) with the changes on them. The order follows the
 * saved weights, so rows don't move while a weight is typed. Costs the number of changes plus
 * the page, not the size of the table: it runs on every keystroke.
 */
export function subjectRows(
  saved: readonly RankedSubject[],
  savedWeights: Readonly<Record<string, number>>,
  changes: WeightChanges,
  page: { search?: string; offset: number; limit: number },
): { rows: SubjectRow[]; total: number } {
  const q = (page.search ?? '').trim().toLowerCase();
  const added: SubjectRow[] = [];
  for (const [subject, value] of changes) {
    if (Object.hasOwn(savedWeights, subject)) continue;
    if (q !== '' && !subject.toLowerCase().includes(q)) continue;
    added.push({ subject, saved: undefined, value, rank: undefined });
  }
  added.reverse();
  const rows = added.slice(page.offset, page.offset + page.limit);
  const from = Math.max(0, page.offset - added.length);
  for (const s of saved.slice(from, from + page.limit - rows.length)) {
    const change = changes.get(s.subject);
    rows.push({
      subject: s.subject,
      saved: s.weight,
      value: change === undefined ? String(s.weight) : change,
      rank: s.rank,
    });
  }
  return { rows, total: added.length + saved.length };
}

/** Subjects read from pasted text, with the weights as typed. */
export type Pasted =
  | { readonly ok: true; readonly weights: ReadonlyMap<string, string>; readonly repeated: number }
  | { readonly ok: false; readonly message: string };

/**
 * Reads pasted subjects: JSON (`{ "acme": 50, … }` or a whole table, `{ "weights": { … } }`)
 * or lines of `subject,weight` (a comma, semicolon or tab between; a quoted subject may hold
 * commas; empty lines, `#` comments and a header line such as `account,seats` are skipped).
 * A subject given twice takes its last weight.
 */
export function parsePastedWeights(text: string): Pasted {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'nothing to read: paste lines of subject,weight or JSON' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return parseJsonWeights(trimmed);
  const weights = new Map<string, string>();
  let repeated = 0;
  const lines = text.split(/\r?\n/);
  let first = true;
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const parsed = splitLine(line);
    if (parsed === undefined) {
      return {
        ok: false,
        message: `line ${index + 1}: expected subject,weight, got ${JSON.stringify(line)}`,
      };
    }
    const [subject, weight] = parsed;
    const header = first && /^[A-Za-z][A-Za-z _-]*$/.test(weight);
    first = false;
    if (header) continue;
    if (subject === '') return { ok: false, message: `line ${index + 1}: no subject before the weight` };
    if (weights.has(subject)) repeated++;
    weights.set(subject, weight);
  }
  if (weights.size === 0) return { ok: false, message: 'no subjects found: paste lines of subject,weight' };
  return { ok: true, weights, repeated };
}

/** `acme,50`, `acme;50`, `acme<TAB>50`, `"Acme, Inc.",50` → subject and weight; undefined without a separator. */
function splitLine(line: string): [string, string] | undefined {
  if (line.startsWith('"')) {
    const match = /^"((?:[^"]|"")*)"\s*[,;\t]\s*(.*)$/.exec(line);
    return match === null ? undefined : [match[1]!.replaceAll('""', '"'), match[2]!.trim()];
  }
  const at = Math.max(line.lastIndexOf(','), line.lastIndexOf(';'), line.lastIndexOf('\t'));
  if (at < 0) return undefined;
  return [line.slice(0, at).trim(), line.slice(at + 1).trim()];
}

function parseJsonWeights(text: string): Pasted {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'expected a JSON object: { "acme": 50, … } or { "weights": { … } }' };
  }
  const record = value as Record<string, unknown>;
  const inner = record.weights;
  const source =
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? (inner as Record<string, unknown>)
      : record;
  const weights = new Map<string, string>();
  for (const [subject, weight] of Object.entries(source)) {
    if (typeof weight === 'number') weights.set(subject, String(weight));
    else if (typeof weight === 'string') weights.set(subject, weight);
    else return { ok: false, message: `the weight of ${JSON.stringify(subject)} is not a number` };
  }
  if (weights.size === 0) return { ok: false, message: 'no subjects found in the JSON' };
  return { ok: true, weights, repeated: 0 };
}

/**
 * The flags an `IN_USE` answer names, from its `details.flags`; none when it has no such
 * list (the message still says who, for a person to read).
 */
export function flagsInUse(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'IN_USE') return [];
  const flags = error.details?.flags;
  return Array.isArray(flags) ? flags.filter((f): f is string => typeof f === 'string') : [];
}
