import type { FlagSetDefinition } from '@vexil/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentView } from '../../src/delivery/environment-view.js';
import { SigningKeys } from '../../src/delivery/signing/signing-keys.js';
import type { BuiltSnapshot } from '../../src/delivery/snapshot.js';
import { diffSnapshots, type SnapshotPatch } from '../../src/delivery/snapshot-patch.js';
import { buildFlagSet } from '../../src/services/flag-sets/build-flag-set.js';
import type {
  EnvironmentState,
  FlagDefinition,
  FlagRecord,
  SegmentRecord,
  WeightTableRecord,
} from '../../src/stores/types.js';
import { newTestVexil } from '../helpers/vexil.js';

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const GENERATED_AT = '2026-11-25T10:00:00.000Z';

/** An environment's records, changed at random, as a store would hold them. */
class World {
  readonly flags = new Map<string, FlagRecord>();
  readonly segments = new Map<string, SegmentRecord>();
  readonly tables = new Map<string, WeightTableRecord>();
  version = 1;
  private clock = 0;

  constructor(private readonly next: () => number) {}

  state(): EnvironmentState {
    return {
      environment: {
        project: 'shop',
        key: 'production',
        name: 'production',
        description: '',
        position: 0,
        version: this.version,
        createdAt: 't',
        updatedAt: 't',
        createdBy: 'a',
        updatedBy: 'a',
      },
      flags: [...this.flags.values()],
      segments: [...this.segments.values()],
      weightTables: [...this.tables.values()],
    };
  }

  /** The weight tables the flags name (what a store's delta read returns with them). */
  tablesOf(flags: readonly string[]): WeightTableRecord[] {
    return [...this.tables.values()].filter((t) =>
      flags.some((k) => JSON.stringify(this.flags.get(k)?.definition ?? {}).includes(`"${t.key}"`)),
    );
  }

  private pick<T>(items: readonly T[]): T | undefined {
    return items[Math.floor(this.next() * items.length)];
  }

  private time(): string {
    return new Date(Date.UTC(2026, 0, 1) + ++this.clock * 1000).toISOString();
  }

  private definition(): FlagDefinition {
    const segment = this.pick([...this.segments.keys()]);
    const table = this.next() < 0.3 ? this.pick([...this.tables.keys()]) : undefined;
    const config = {
      enabled: this.next() < 0.5,
      defaultServe:
        table === undefined
          ? { variant: this.next() < 0.5 ? 'on' : 'off' }
          : { rollout: { variants: { on: 50_000, off: 50_000 }, weightedBy: table } },
      ...(segment !== undefined && this.next() < 0.5 ? { overrides: [{ segment, variant: 'on' }] } : {}),
    };
    return {
      type: 'boolean',
      clientVisible: this.next() < 0.5,
      ...(this.next() < 0.3
        ? { environments: { production: config, staging: { enabled: this.next() < 0.5 } } }
        : config),
    } as FlagDefinition;
  }

  /** One random change; returns the keys it touched (a table's change names the flags that use it). */
  change(): { flags: string[]; segments: string[]; tables: string[] } {
    this.version += 1 + Math.floor(this.next() * 3);
    const roll = this.next();
    const at = this.time();
    if (roll < 0.1) {
      const key = `t${Math.floor(this.next() * 3)}`;
      const held = this.tables.get(key);
      this.tables.set(key, {
        project: 'shop',
        key,
        version: (held?.version ?? 0) + 1,
        definition: { weights: { acme: 1 + Math.floor(this.next() * 50), globex: 10 } },
        createdAt: held?.createdAt ?? at,
        updatedAt: at,
        createdBy: 'a',
        updatedBy: 'a',
      });
      const users = [...this.flags.values()].filter((f) => JSON.stringify(f.definition).includes(`"${key}"`));
      return { flags: users.map((f) => f.key), segments: [], tables: [key] };
    }
    if (roll < 0.55 || this.flags.size === 0) {
      const key =
        this.next() < 0.2 || this.flags.size === 0
          ? `f${this.flags.size}`
          : this.pick([...this.flags.keys()])!;
      const held = this.flags.get(key);
      const archived = held !== undefined && this.next() < 0.15 ? !held.archived : false;
      this.flags.set(key, {
        project: 'shop',
        key,
        version: (held?.version ?? 0) + 1,
        archived,
        definition: this.definition(),
        createdAt: held?.createdAt ?? at,
        updatedAt: at,
        createdBy: 'a',
        updatedBy: 'a',
      });
      return { flags: [key], segments: [], tables: [] };
    }
    if (roll < 0.65) {
      const key = this.pick([...this.flags.keys()])!;
      this.flags.delete(key);
      return { flags: [key], segments: [], tables: [] };
    }
    if (roll < 0.9 || this.segments.size === 0) {
      const key =
        this.next() < 0.3 || this.segments.size === 0
          ? `s${this.segments.size}`
          : this.pick([...this.segments.keys()])!;
      const held = this.segments.get(key);
      const other = this.pick([...this.segments.keys()].filter((k) => k !== key));
      this.segments.set(key, {
        project: 'shop',
        key,
        version: (held?.version ?? 0) + 1,
        definition: {
          included: [`u${Math.floor(this.next() * 100)}`],
          ...(other !== undefined && this.next() < 0.4
            ? { conditions: [{ attribute: 'key', op: 'segment', values: [other] }] }
            : {}),
        },
        createdAt: held?.createdAt ?? at,
        updatedAt: at,
        createdBy: 'a',
        updatedBy: 'a',
      } as SegmentRecord);
      return { flags: [], segments: [key], tables: [] };
    }
    const key = this.pick([...this.segments.keys()])!;
    this.segments.delete(key);
    return { flags: [], segments: [key], tables: [] };
  }
}

function applyPatch(definition: FlagSetDefinition, patch: SnapshotPatch): Record<string, unknown> {
  const merge = (base: Record<string, unknown>, changes: Record<string, unknown> | undefined) => {
    const out = { ...base };
    for (const [key, value] of Object.entries(changes ?? {})) {
      if (value === null) delete out[key];
      else out[key] = value;
    }
    return out;
  };
  const tables = merge(definition.subjectWeights ?? {}, patch.subjectWeights);
  return {
    flags: merge(definition.flags, patch.flags),
    segments: merge(definition.segments ?? {}, patch.segments),
    ...(Object.keys(tables).length > 0 ? { subjectWeights: tables } : {}),
  };
}

describe('the environment view', () => {
  let keys: SigningKeys;
  beforeAll(async () => {
    const t = await newTestVexil('sqlite');
    keys = new SigningKeys(t.store);
    await keys.load();
    await t.dispose();
  });

  it('rebuilt change by change, makes exactly the snapshots a full build makes, with patches that lead from one to the next', () => {
    let weighted = 0;
    for (const seed of [1, 2, 3, 4]) {
      const world = new World(random(seed));
      for (let i = 0; i < 12; i++) world.change();
      const view = new EnvironmentView();
      view.load(world.state());
      let previous = view.build(GENERATED_AT, keys);
      for (let step = 0; step < 150; step++) {
        const touched = world.change();
        const state = world.state();
        view.update(
          state.environment,
          new Map(touched.flags.map((k) => [k, world.flags.get(k)])),
          new Map(touched.segments.map((k) => [k, world.segments.get(k)])),
          world.tablesOf(touched.flags),
        );
        const incremental = view.build(GENERATED_AT, keys);
        const fresh = new EnvironmentView();
        fresh.load(state);
        const full = fresh.build(GENERATED_AT, keys);
        for (const scope of ['server', 'client'] as const) {
          const what = `seed ${seed}, step ${step}, ${scope}`;
          expect(incremental[scope].body.equals(full[scope].body), what).toBe(true);
          const built = buildFlagSet(state, scope, GENERATED_AT);
          expect(JSON.parse(incremental[scope].body.toString('utf8')), what).toEqual(built);
          expect(incremental[scope].definition, what).toEqual(built);
          expect(Object.keys(incremental[scope].definition.flags), what).toEqual(
            Object.keys(built.flags).sort(),
          );
          const record = diffSnapshots(previous[scope], incremental[scope]);
          expect(JSON.parse(record.json), what).toEqual(record.patch);
          expect(applyPatch(previous[scope].definition, record.patch), what).toEqual({
            flags: built.flags,
            segments: built.segments,
            ...(built.subjectWeights === undefined ? {} : { subjectWeights: built.subjectWeights }),
          });
        }
        if (incremental.server.definition.subjectWeights !== undefined) weighted++;
        previous = incremental;
      }
    }
    expect(weighted).toBeGreaterThan(50); // weight tables were part of it
  });

  it('leaves the snapshots it built before untouched', () => {
    const world = new World(random(9));
    for (let i = 0; i < 8; i++) world.change();
    const view = new EnvironmentView();
    view.load(world.state());
    const before: BuiltSnapshot = view.build(GENERATED_AT, keys).server;
    const expected = buildFlagSet(world.state(), 'server', GENERATED_AT);
    for (let i = 0; i < 20; i++) {
      const touched = world.change();
      view.update(
        world.state().environment,
        new Map(touched.flags.map((k) => [k, world.flags.get(k)])),
        new Map(touched.segments.map((k) => [k, world.segments.get(k)])),
      );
      view.build(GENERATED_AT, keys);
    }
    // Assembled only now, after the view moved on: still the flag set it was built from.
    expect(JSON.parse(before.body.toString('utf8'))).toEqual(expected);
    expect(before.definition).toEqual(expected);
  });
});
