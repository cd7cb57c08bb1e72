import { type FlagSet, type FlagSetDefinition, formatIssue, safeParseFlagSet } from '@vexil/core';
import { VexilError } from '../errors/vexil-error.js';
import type { AllFlagsState } from './all-flags.js';
import { changedKeys } from './changed-keys.js';

/** Where the data held came from. `live` data is never replaced by an older version. */
export type DataOrigin = 'bootstrap' | 'cache' | 'file' | 'live';

/** What the store holds. */
export type Held =
  | { readonly kind: 'none'; readonly version: 0 }
  | {
      readonly kind: 'flags';
      readonly flagSet: FlagSet;
      readonly version: number;
      readonly origin: DataOrigin;
      /** Whether evaluation needs the clock (ramps, schedules, experiment windows, dates). */
      readonly clock: boolean;
    }
  | {
      readonly kind: 'values';
      readonly state: AllFlagsState;
      readonly version: number;
      readonly origin: DataOrigin;
    };

/** A patch event's data (docs/protocol.md). */
export interface FlagPatch {
  version: number;
  previousVersion: number;
  flags?: Record<string, unknown>;
  segments?: Record<string, unknown>;
  /** Weight tables that changed (`null`: no flag uses it any more). */
  subjectWeights?: Record<string, unknown>;
}

/** The outcome of offering data to the store. */
export type StoreResult =
  | { status: 'applied'; changed: string[]; version: number; warning?: VexilError | undefined }
  | { status: 'ignored'; reason: string }
  | { status: 'gap' }
  | { status: 'rejected'; error: VexilError };

const CLOCK_WORDS = ['"ramp"', '"schedule"', '"experiment"', '"before"', '"after"', '$now'];

/**
 * Holds the current flag data and swaps it atomically. Applies snapshots and patches by
 * version, never going backwards once live data arrived; salvages what it can from
 * malformed data (a bad flag keeps its previous definition, or is left out).
 */
export class FlagStore {
  private current: Held = { kind: 'none', version: 0 };

  /** `generateCode`: whether rules compile to JavaScript functions (see `ClientOptions.generateCode`). */
  constructor(private readonly generateCode = true) {}

  get held(): Held {
    return this.current;
  }

  /** The definition held, when the store holds flag definitions. */
  get definition(): FlagSetDefinition | undefined {
    return this.current.kind === 'flags' ? this.current.flagSet.definition : undefined;
  }

  /** Offers a whole flag set (parsed JSON). */
  replace(input: unknown, origin: DataOrigin): StoreResult {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return rejected('flag data is not a JSON object');
    }
    const version = versionOf(input);
    const held = this.current;
    if (held.kind !== 'none' && held.origin === 'live') {
      if (origin !== 'live') return { status: 'ignored', reason: 'live data is already held' };
      if (version < held.version) {
        return { status: 'ignored', reason: `version ${version} is older than ${held.version}` };
      }
    }
    if (held.kind !== 'none' && origin === 'cache' && version < held.version) {
      return {
        status: 'ignored',
        reason: `cached version ${version} is older than the bootstrap's ${held.version}`,
      };
    }
    return this.install(input as Record<string, unknown>, origin);
  }

  /** Applies a patch on top of the definitions held. */
  patch(patch: FlagPatch): StoreResult {
    const held = this.current;
    if (held.kind !== 'flags') return { status: 'gap' };
    if (!Number.isInteger(patch.version) || !Number.isInteger(patch.previousVersion)) {
      return rejected('patch without integer version and previousVersion');
    }
    if (patch.version <= held.version) {
      return { status: 'ignored', reason: `patch ${patch.version} is not newer than ${held.version}` };
    }
    if (patch.previousVersion !== held.version) return { status: 'gap' };
    const base = held.flagSet.definition;
    const next: Record<string, unknown> = { ...base, version: patch.version };
    next.flags = merge(base.flags, patch.flags);
    if (patch.segments !== undefined || base.segments !== undefined) {
      next.segments = merge(base.segments ?? {}, patch.segments);
    }
    if (patch.subjectWeights !== undefined || base.subjectWeights !== undefined) {
      const tables = merge(base.subjectWeights ?? {}, patch.subjectWeights);
      if (Object.keys(tables).length > 0) next.subjectWeights = tables;
      else delete next.subjectWeights;
    }
    return this.install(next, 'live');
  }

  /** Holds precomputed values (an `allFlags` state used as bootstrap). */
  holdValues(state: AllFlagsState, origin: DataOrigin): StoreResult {
    const held = this.current;
    if (held.kind !== 'none' && held.origin === 'live')
      return { status: 'ignored', reason: 'live data is held' };
    const before = keysOf(held);
    this.current = { kind: 'values', state, version: state.version, origin };
    return { status: 'applied', changed: union(before, Object.keys(state.flags)), version: state.version };
  }

  private install(input: Record<string, unknown>, origin: DataOrigin): StoreResult {
    const previous = this.current;
    const oldDefinition = previous.kind === 'flags' ? previous.flagSet.definition : undefined;
    const salvaged = parseSalvaging(input, oldDefinition, this.generateCode);
    if (salvaged.flagSet === undefined) return { status: 'rejected', error: salvaged.error! };
    const flagSet = salvaged.flagSet;
    const definition = flagSet.definition;
    const changed =
      previous.kind === 'values'
        ? union(keysOf(previous), Object.keys(definition.flags))
        : changedKeys(oldDefinition, definition);
    const text = JSON.stringify(definition);
    this.current = {
      kind: 'flags',
      flagSet,
      version: flagSet.version,
      origin,
      clock: CLOCK_WORDS.some((word) => text.includes(word)),
    };
    return { status: 'applied', changed, version: flagSet.version, warning: salvaged.error };
  }
}

interface Salvage {
  flagSet?: FlagSet;
  error?: VexilError;
}

/**
 * Parses a flag set; when flags, segments or weight tables are invalid, puts back their
 * previous definitions (or drops them) and tries again, so one bad flag can't black out the rest.
 */
function parseSalvaging(
  input: Record<string, unknown>,
  previous: FlagSetDefinition | undefined,
  generateCode: boolean,
): Salvage {
  let candidate = input;
  const repaired: string[] = [];
  let firstError: string | undefined;
  for (let round = 0; round < 5; round++) {
    const parsed = safeParseFlagSet(candidate, { generateCode });
    if (parsed.success) {
      if (repaired.length === 0) return { flagSet: parsed.data };
      const error = new VexilError(
        'INVALID_FLAG_DATA',
        `invalid flag data; kept the previous definition of (or left out) ${repaired.join(', ')}: ${firstError}`,
      );
      return { flagSet: parsed.data, error };
    }
    firstError ??= parsed.error.issues.map(formatIssue).join('; ');
    const flags = { ...(candidate.flags as Record<string, unknown>) };
    const segments = { ...((candidate.segments as Record<string, unknown> | undefined) ?? {}) };
    const tables = { ...((candidate.subjectWeights as Record<string, unknown> | undefined) ?? {}) };
    let fixable = parsed.error.issues.length > 0;
    for (const issue of parsed.error.issues) {
      const [section, key] = issue.path;
      if (
        typeof key !== 'string' ||
        (section !== 'flags' && section !== 'segments' && section !== 'subjectWeights') ||
        issue.path.length < 2
      ) {
        fixable = false;
        break;
      }
      const target = section === 'flags' ? flags : section === 'segments' ? segments : tables;
      const before =
        section === 'flags'
          ? previous?.flags[key]
          : section === 'segments'
            ? previous?.segments?.[key]
            : previous?.subjectWeights?.[key];
      // A previous definition that fails again is dropped in the next round.
      if (before !== undefined && target[key] !== before) target[key] = before;
      else delete target[key];
      const label = `${section}.${key}`;
      if (!repaired.includes(label)) repaired.push(label);
    }
    if (!fixable || typeof candidate.flags !== 'object' || candidate.flags === null) break;
    candidate = {
      ...candidate,
      flags,
      ...(candidate.segments === undefined ? {} : { segments }),
      ...(candidate.subjectWeights === undefined ? {} : { subjectWeights: tables }),
    };
  }
  return { error: new VexilError('INVALID_FLAG_DATA', `invalid flag data, not used: ${firstError}`) };
}

function merge(base: Readonly<Record<string, unknown>>, changes: Record<string, unknown> | undefined) {
  const out: Record<string, unknown> = { ...base };
  if (changes === undefined || typeof changes !== 'object' || changes === null) return out;
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) delete out[key];
    else out[key] = value;
  }
  return out;
}

function versionOf(input: object): number {
  const version = (input as { version?: unknown }).version;
  return typeof version === 'number' && Number.isFinite(version) ? version : 0;
}

function keysOf(held: Held): string[] {
  if (held.kind === 'flags') return Object.keys(held.flagSet.definition.flags);
  if (held.kind === 'values') return Object.keys(held.state.flags);
  return [];
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}

function rejected(message: string): StoreResult {
  return { status: 'rejected', error: new VexilError('INVALID_FLAG_DATA', message) };
}
