import { type EvaluationResult, evaluate, parseFlagSet } from '@vexil/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Context } from '../src/client/context.js';
import type { EventInput, ExposureEvent } from '../src/events/event-types.js';
import { ExposureCollector } from '../src/events/exposure-collector.js';
import { ExposureDedup, isDuplicate, type Seen } from '../src/events/exposure-dedup.js';
import { ExposureRing, type RingContents } from '../src/events/exposure-ring.js';
import { sampleFlags } from './support/flags.js';

// The drain side of exposures, without a client: the ring (hot path), the collector
// (dedup, PII, events) and the dedup table, with a clock the test moves by hand.

const flags = parseFlagSet(sampleFlags());
/** A real result from the core: shared and frozen, as evaluations return them. */
const served = (key: string, context: Context): EvaluationResult<unknown> =>
  evaluate(flags, key, context, { type: key === 'button-color' ? 'string' : 'boolean' });
const off = served('new-checkout', { targetingKey: 'anyone' }); // variant "off", reason DEFAULT
const on = served('new-checkout', { targetingKey: 'user-beta' }); // variant "on", rule beta-users

/** A ring whose drains are kept (copied: the ring reuses its buffers) and whose clock the test sets. */
function ringWithClock(capacity: number) {
  const clock = { now: 1_000_000 };
  const drains: Array<{ keys: unknown[]; results: unknown[]; contexts: unknown[]; marks: number[] }> = [];
  const errors: unknown[] = [];
  let ring: ExposureRing;
  const onDrain: Array<(ring: ExposureRing) => void> = [];
  ring = new ExposureRing(
    (c: RingContents) => {
      const slots = c.slots.slice(0, c.count * 3);
      drains.push({
        results: slots.filter((_, i) => i % 3 === 0),
        keys: slots.filter((_, i) => i % 3 === 1),
        contexts: slots.filter((_, i) => i % 3 === 2),
        marks: [...c.marks],
      });
      for (const fn of onDrain) fn(ring);
    },
    () => clock.now,
    (error) => errors.push(error),
    capacity,
  );
  return { ring, clock, drains, errors, onDrain };
}

describe('the exposure ring', () => {
  it('only appends until it is half full, then drains on the next turn of the event loop', async () => {
    const { ring, drains } = ringWithClock(8);
    for (let i = 0; i < 3; i++) ring.record(off, { targetingKey: `u${i}` });
    expect(ring.pending).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(drains).toHaveLength(0); // below half: nothing scheduled
    ring.record(off, { targetingKey: 'u3' });
    ring.record(off, { targetingKey: 'u4' }); // reaches half: a drain is scheduled, not run
    expect(drains).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(drains.map((d) => d.keys)).toEqual([['u0', 'u1', 'u2', 'u3', 'u4']]);
    expect(ring.pending).toBe(0);
  });

  it('drains on the spot when it fills in a loop that never yields, keeping every exposure in order', () => {
    const { ring, drains } = ringWithClock(8);
    for (let i = 0; i < 20; i++) ring.record(on, { targetingKey: `u${i}` });
    expect(drains.map((d) => d.keys.length)).toEqual([8, 8]);
    expect(ring.pending).toBe(4);
    ring.drain();
    expect(drains.flatMap((d) => d.keys)).toEqual(Array.from({ length: 20 }, (_, i) => `u${i}`));
    expect(drains.every((d) => d.results.every((r) => r === on))).toBe(true);
  });

  it('keeps the key as it was at the evaluation, and the context for the drain', () => {
    const { ring, drains } = ringWithClock(8);
    const reused: Context = { targetingKey: 'first', privateAttributes: ['targetingKey'] };
    const anonymous = {};
    ring.record(off, anonymous);
    ring.record(off, reused);
    reused.targetingKey = 'second';
    ring.record(off, reused);
    ring.drain();
    expect(drains[0]?.keys).toEqual([undefined, 'first', 'second']);
    expect(drains[0]?.contexts).toEqual([anonymous, reused, reused]);
  });

  it('stamps exposures with the last clock reading before them: ticks and half-fillings read the clock', () => {
    const { ring, clock, drains } = ringWithClock(8);
    ring.record(off, { targetingKey: 'a' }); // at the time the ring was made
    clock.now += 700;
    ring.tick();
    for (const key of ['b', 'c', 'd']) ring.record(off, { targetingKey: key });
    clock.now += 300;
    ring.record(off, { targetingKey: 'e' }); // reaches half (4 of 8): the clock is read before it
    ring.drain();
    expect(drains[0]?.marks).toEqual([0, 1_000_000, 1, 1_000_700, 4, 1_001_000]);
    clock.now += 50;
    ring.record(off, { targetingKey: 'f' }); // the next buffer starts at the last reading
    ring.drain();
    expect(drains[1]?.marks).toEqual([0, 1_001_000]);
  });

  it('takes evaluations made during a drain in the other buffer; past that, drops and counts them', () => {
    const { ring, drains, onDrain } = ringWithClock(4);
    let reentered = false;
    onDrain.push((r) => {
      if (reentered) return;
      reentered = true;
      // A listener evaluating flags in a loop while the first drain runs.
      for (let i = 0; i < 6; i++) r.record(off, { targetingKey: `inner${i}` });
    });
    for (let i = 0; i < 5; i++) ring.record(off, { targetingKey: `outer${i}` });
    expect(ring.dropped).toBe(2);
    ring.drain();
    expect(drains.map((d) => d.keys)).toEqual([
      ['outer0', 'outer1', 'outer2', 'outer3'],
      ['inner0', 'inner1', 'inner2', 'inner3'],
      ['outer4'],
    ]);
  });

  it('lets go of what it held once drained, whether the consumer cleared the slots or not', () => {
    const held: unknown[][] = [];
    const keep = new ExposureRing(
      (c) => held.push(c.slots),
      () => 0,
      () => {},
      8,
    );
    const collector = new ExposureCollector({
      window: 1_000,
      privateAttributes: [],
      strictPii: false,
      warnPii: () => {},
      warn: () => {},
    });
    const collect = new ExposureRing(
      (c) => {
        held.push(c.slots);
        collector.collect(c);
      },
      () => 0,
      () => {},
      8,
    );
    for (const ring of [keep, collect]) {
      for (let i = 0; i < 3; i++) ring.record(on, { targetingKey: `u${i}` });
      ring.drain();
    }
    expect(held).toHaveLength(2);
    for (const slots of held) expect(slots.every((slot) => slot === undefined)).toBe(true);
  });

  it('drains what is left when closed and records nothing after', () => {
    const { ring, drains } = ringWithClock(8);
    ring.record(off, { targetingKey: 'last' });
    ring.close();
    ring.record(off, { targetingKey: 'too-late' });
    ring.drain();
    expect(drains.map((d) => d.keys)).toEqual([['last']]);
  });
});

/** Runs entries through a fresh ring into `collector`, drained at `now`. */
function collectAt(
  collector: ExposureCollector,
  now: number,
  entries: Array<[EvaluationResult<unknown>, Context]>,
) {
  const out: EventInput[] = [];
  const ring = new ExposureRing(
    (contents) => out.push(...collector.collect(contents)),
    () => now,
    (error) => {
      throw error;
    },
    64,
  );
  for (const [result, context] of entries) ring.record(result, context);
  ring.drain();
  return out;
}

const exposures = (inputs: EventInput[]) => inputs.map((i) => i.event as ExposureEvent);

describe('collecting exposures from drained rings', () => {
  const collector = (
    window = 60_000,
    more: Partial<ConstructorParameters<typeof ExposureCollector>[0]> = {},
  ) =>
    new ExposureCollector({
      window,
      privateAttributes: [],
      strictPii: false,
      warnPii: () => {},
      warn: () => {},
      ...more,
    });

  it('records one exposure per flag, variant and key, across drains, until the window has passed', () => {
    const c = collector(60_000);
    const t0 = Date.UTC(2026, 0, 1);
    const first = exposures(
      collectAt(c, t0, [
        [off, { targetingKey: 'u1' }],
        [off, { targetingKey: 'u1' }],
        [off, { targetingKey: 'u2' }],
      ]),
    );
    expect(first.map((e) => [e.contextKey, e.time])).toEqual([
      ['u1', '2026-01-01T00:00:00.000Z'],
      ['u2', '2026-01-01T00:00:00.000Z'],
    ]);
    expect(first[0]).toEqual({
      kind: 'exposure',
      time: '2026-01-01T00:00:00.000Z',
      flag: 'new-checkout',
      variant: 'off',
      contextKey: 'u1',
      reason: 'DEFAULT',
    });
    expect(collectAt(c, t0 + 59_999, [[off, { targetingKey: 'u1' }]])).toEqual([]);
    const again = exposures(
      collectAt(c, t0 + 60_000, [
        [off, { targetingKey: 'u1' }],
        [off, { targetingKey: 'u2' }],
      ]),
    );
    expect(again.map((e) => e.contextKey)).toEqual(['u1', 'u2']);
  });

  it('looks a key up again after an exposure that was skipped, however alike the keys around it', () => {
    const c = collector();
    const theme = served('button-color', { targetingKey: 'u1' });
    const missing = served('no-such-flag', { targetingKey: 'u2' }); // no variant: not an exposure
    expect(exposures(collectAt(c, 0, [[theme, { targetingKey: 'u1' }]])).map((e) => e.contextKey)).toEqual([
      'u1',
    ]);
    const next = exposures(
      collectAt(c, 1, [
        [theme, { targetingKey: 'u1' }],
        [missing, { targetingKey: 'u2' }],
        [theme, { targetingKey: 'u2' }], // same key as the skipped one: u1's memory must not answer for it
        [off, { targetingKey: 'u2' }],
        [theme, { targetingKey: 'u2' }],
      ]),
    );
    expect(next.map((e) => [e.flag, e.contextKey])).toEqual([
      ['button-color', 'u2'],
      ['new-checkout', 'u2'],
    ]);
  });

  it('deduplicates a key across context objects, however they interleave', () => {
    const c = collector();
    const a1: Context = { targetingKey: 'a' };
    const a2: Context = { targetingKey: 'a', plan: 'pro' };
    const b: Context = { targetingKey: 'b' };
    const events = exposures(
      collectAt(c, 0, [
        [off, a1],
        [off, a2], // a new object for the same key (the next request): a duplicate
        [off, b],
        [on, a1], // another variant for a
        [off, a2], // and back: news again
        [off, b],
        [on, b],
        [off, a1],
      ]),
    );
    expect(events.map((e) => [e.variant, e.contextKey])).toEqual([
      ['off', 'a'],
      ['off', 'b'],
      ['on', 'a'],
      ['off', 'a'],
      ['on', 'b'],
    ]);
  });

  it('sends what a table of (flag, key) → variant until a time would, through rings of reused and anonymous contexts', () => {
    const theme = served('button-color', { targetingKey: 'x' });
    const results = [off, on, theme];
    const op = fc.record({
      result: fc.integer({ min: 0, max: 2 }),
      context: fc.integer({ min: 0, max: 2 }),
      key: fc.constantFrom('u1', 'u2', 'u3', '', undefined),
      drain: fc.boolean(),
      wait: fc.integer({ min: 0, max: 600 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 120 }), (ops) => {
        const c = collector(1_000);
        const clock = { now: 0 };
        const sent: string[] = [];
        const ring = new ExposureRing(
          (contents) => {
            for (const { event } of c.collect(contents)) {
              const e = event as ExposureEvent;
              sent.push(`${e.flag}/${e.variant}/${e.contextKey}`);
            }
          },
          () => clock.now,
          (error) => {
            throw error;
          },
          16,
        );
        const contexts: Context[] = [{}, {}, {}];
        const model = new Map<string, { variant: string; until: number }>();
        const expected: string[] = [];
        for (const { result, context, key, drain, wait } of ops) {
          if (drain) {
            ring.drain();
            clock.now += wait;
            ring.tick();
          }
          const ctx = contexts[context]!;
          ctx.targetingKey = key; // the same objects, reused for other keys (or none)
          const served = results[result]!;
          ring.record(served, ctx);
          if (key === undefined || key === '') continue;
          // Entries are stamped with the last tick before them; the model is kept in that order.
          const pair = `${served.key}/${key}`;
          const held = model.get(pair);
          if (held !== undefined && held.variant === served.variant && held.until > clock.now) continue;
          model.set(pair, { variant: served.variant!, until: clock.now + 1_000 });
          expected.push(`${served.key}/${served.variant}/${key}`);
        }
        ring.drain();
        expect(sent).toEqual(expected);
      }),
    );
  });

  it('records nothing for a context without a usable key', () => {
    const anonymous: Context[] = [
      {},
      { targetingKey: '' },
      { targetingKey: 42 as never },
      { targetingKey: null as never },
    ];
    expect(
      collectAt(
        collector(),
        0,
        anonymous.map((context) => [off, context]),
      ),
    ).toEqual([]);
  });

  it('records a different variant for the same flag and key at once, with its rule', () => {
    const c = collector();
    const events = exposures(
      collectAt(c, 0, [
        [off, { targetingKey: 'user-beta' }],
        [on, { targetingKey: 'user-beta' }],
        [on, { targetingKey: 'user-beta' }],
      ]),
    );
    expect(events.map((e) => [e.variant, e.ruleId])).toEqual([
      ['off', undefined],
      ['on', 'beta-users'],
    ]);
  });

  it('marks keys for hashing: private for the context or the client, or personal-looking in strict mode', () => {
    const entries: Array<[EvaluationResult<unknown>, Context]> = [
      [off, { targetingKey: 'plain' }],
      [off, { targetingKey: 'secret', privateAttributes: ['targetingKey'] }],
      [off, { targetingKey: 'jane@example.com' }],
    ];
    const hashed = (inputs: EventInput[]) => inputs.map((i) => [i.event.contextKey, i.hashKey]);
    const warnings: string[] = [];
    expect(hashed(collectAt(collector(1, { warnPii: (m) => warnings.push(m) }), 0, entries))).toEqual([
      ['plain', false],
      ['secret', true],
      ['jane@example.com', false],
    ]);
    expect(warnings).toHaveLength(1);
    expect(hashed(collectAt(collector(1, { strictPii: true }), 0, entries))).toEqual([
      ['plain', false],
      ['secret', true],
      ['jane@example.com', true],
    ]);
    expect(hashed(collectAt(collector(1, { privateAttributes: ['targetingKey'] }), 0, entries))).toEqual([
      ['plain', true],
      ['secret', true],
      ['jane@example.com', true],
    ]);
  });
  it('hashes the key of a context object reused for someone else before the drain, and warns once', () => {
    // Whether "first" was private when it was evaluated can't be known any more: it is hashed.
    const warnings: string[] = [];
    const c = collector(1, { warn: (m) => warnings.push(m) });
    const out: EventInput[] = [];
    const ring = new ExposureRing(
      (contents) => out.push(...c.collect(contents)),
      () => 0,
      () => {},
      64,
    );
    const reused: Context = { targetingKey: 'first', privateAttributes: ['targetingKey'] };
    ring.record(off, reused);
    reused.targetingKey = 'second';
    delete reused.privateAttributes;
    ring.record(off, reused);
    reused.targetingKey = 'third';
    ring.record(off, reused);
    ring.drain();
    expect(out.map((i) => [i.event.contextKey, i.hashKey])).toEqual([
      ['first', true],
      ['second', true],
      ['third', false],
    ]);
    expect(warnings).toHaveLength(1);
  });
});

describe('exposures past the deduplication limit', () => {
  // 20 000 keys × 8 flags: 160 000 (flag, key) pairs live within the window, over three
  // times the default limit of 50 000 — an ordinary server's users. Each request is a new
  // context evaluated for the 8 flags in a row; the requests cycle over the keys.
  const FLAGS = 8;
  const KEYS = 20_000;
  const eight = parseFlagSet({
    version: 1,
    environment: 'production',
    segments: {},
    flags: Object.fromEntries(
      Array.from({ length: FLAGS }, (_, f) => [
        `f${f}`,
        {
          type: 'boolean',
          enabled: true,
          defaultServe: { rollout: { variants: { on: 50_000, off: 50_000 } } },
        },
      ]),
    ),
  });

  it('keeps suppressing the duplicates of the pairs it holds, cycle after cycle, instead of re-sending everything', () => {
    const collector = new ExposureCollector({
      window: 300_000,
      privateAttributes: [],
      strictPii: false,
      warnPii: () => {},
      warn: () => {},
    });
    const clock = { now: Date.UTC(2026, 0, 1) };
    let sent = 0;
    const ring = new ExposureRing(
      (contents) => {
        sent += collector.collect(contents).length;
      },
      () => clock.now,
      (error) => {
        throw error;
      },
    );
    const served = Array.from({ length: KEYS * FLAGS }, (_, i) =>
      evaluate(
        eight,
        `f${i % FLAGS}`,
        { targetingKey: `user-${Math.floor(i / FLAGS)}` },
        { defaultValue: false },
      ),
    );
    const perCycle: number[] = [];
    for (let cycle = 0; cycle < 3; cycle++) {
      const before = sent;
      for (let k = 0; k < KEYS; k++) {
        const context: Context = { targetingKey: `user-${k}` };
        for (let f = 0; f < FLAGS; f++) ring.record(served[k * FLAGS + f]!, context);
        if (k % 1_000 === 999) {
          clock.now += 1_000; // a drain a second, 8 000 evaluations a second: a cycle takes 20 s
          ring.drain();
          ring.tick();
        }
      }
      ring.drain();
      perCycle.push(sent - before);
    }
    // The first cycle is all news. Then the 53 125 pairs held (the limit and a sixteenth: the
    // first 6 640 keys' 8 flags and 5 of the next key's) stay suppressed until their window
    // ends; the others, for which there is no room, are sent each time.
    expect(perCycle).toEqual([160_000, 160_000 - 53_125, 160_000 - 53_125]);
  });
});

/**
 * The table driven as the drain drives it: a key is looked up when a run of entries for it
 * starts, and each entry of the run is checked against (and recorded into) what the table
 * returned — `sameRun` says the entry continues the last one's run. Without it, each call
 * looks its key up: one exposure on its own.
 */
function inRuns(dedup: ExposureDedup) {
  let seen: Seen | undefined;
  let runKey: string | undefined;
  return (flag: string, variant: string, key: string, now: number, sameRun = false): boolean => {
    if (!sameRun || key !== runKey) seen = dedup.lookup(key);
    runKey = key;
    if (isDuplicate(seen, flag, variant, now)) return false;
    seen = dedup.record(flag, variant, key, now, seen);
    return true;
  };
}

describe('the deduplication table', () => {
  it('stays bounded: full of live pairs, it records a newcomer without remembering it, and keeps what it holds', () => {
    const dedup = new ExposureDedup(1_000, 3); // holds 3 + 1 pairs
    const admit = inRuns(dedup);
    for (const key of ['a', 'b', 'c', 'd']) expect(admit('f', 'on', key, 0)).toBe(true);
    expect(admit('f', 'on', 'e', 10)).toBe(true); // full, all live: recorded, not remembered
    expect(admit('f', 'on', 'e', 20)).toBe(true);
    expect(admit('g', 'on', 'a', 30)).toBe(true); // a new flag for a key held: a new pair, no room
    expect(admit('g', 'on', 'a', 40)).toBe(true);
    expect(dedup.size).toBe(4);
    for (const key of ['a', 'b', 'c', 'd']) expect(admit('f', 'on', key, 999)).toBe(false);
    expect(admit('f', 'on', 'a', 1_000)).toBe(true); // a's window ended: replaced in place, full or not
    expect(admit('f', 'on', 'a', 1_001)).toBe(false);
    expect(admit('f', 'on', 'e', 1_001)).toBe(true); // b, c and d expired and were swept: room
    expect(admit('f', 'on', 'e', 1_002)).toBe(false);
    expect(dedup.size).toBe(2);
  });

  it('past its limit, sweeps at most once per sixteenth of the window', () => {
    const dedup = new ExposureDedup(1_600, 3); // holds 4 pairs; sweeps at most every 100 ms when past 3 live
    const admit = inRuns(dedup);
    for (const key of ['a', 'b', 'c', 'd']) admit('f', 'on', key, 0);
    for (const key of ['a', 'b']) admit('f', 'on', key, 1_600); // renewed in place
    expect(admit('f', 'on', 'e', 1_601)).toBe(true); // swept: c and d gone, e remembered
    expect(admit('f', 'on', 'x', 1_601)).toBe(true); // a, b, e, x: full, past the limit
    expect(dedup.size).toBe(4);
    expect(admit('f', 'on', 'y', 1_601)).toBe(true); // not remembered: no sweep before 1 701
    expect(admit('f', 'on', 'y', 3_201)).toBe(true); // a and b expired at 3 200, and were swept
    expect(admit('f', 'on', 'y', 3_202)).toBe(false);
  });

  it('remembers each flag of a key apart, however one request interleaves them', () => {
    const dedup = new ExposureDedup(1_000);
    const admit = inRuns(dedup);
    expect(admit('a', 'on', 'u1', 0)).toBe(true);
    expect(admit('b', 'x', 'u1', 0, true)).toBe(true);
    expect(admit('c', 'on', 'u1', 0, true)).toBe(true);
    expect(admit('a', 'on', 'u1', 10, true)).toBe(false);
    expect(admit('b', 'x', 'u1', 10)).toBe(false);
    expect(admit('b', 'y', 'u1', 20, true)).toBe(true); // a new variant of b, for u1 only
    expect(admit('b', 'x', 'u2', 20)).toBe(true);
    expect(admit('c', 'on', 'u1', 999)).toBe(false);
    expect(admit('c', 'on', 'u1', 1_000, true)).toBe(true); // the window has passed
  });

  it('answers for a run of one key from what it returned, also when recording made it sweep', () => {
    const dedup = new ExposureDedup(1_000, 2); // holds 2 + 1 pairs
    const admit = inRuns(dedup);
    for (const flag of ['a', 'b']) expect(admit(flag, 'on', 'u1', 0)).toBe(true);
    expect(admit('a', 'on', 'u2', 0)).toBe(true); // full
    // u1's run at 1 000, when every pair has expired: c and a take u1's two expired places;
    // then b, a third pair for u1 in a full table, makes it sweep (u2's pair goes) in the
    // middle of the run, which goes on from what the table returned.
    expect(admit('c', 'on', 'u1', 1_000)).toBe(true);
    expect(admit('a', 'on', 'u1', 1_000, true)).toBe(true);
    expect(admit('c', 'on', 'u1', 1_000, true)).toBe(false);
    expect(admit('b', 'on', 'u1', 1_000, true)).toBe(true);
    expect(admit('a', 'on', 'u1', 1_000, true)).toBe(false);
    expect(admit('b', 'on', 'u1', 1_000, true)).toBe(false);
    expect(dedup.size).toBe(3);
    expect(admit('a', 'on', 'u2', 1_001)).toBe(true); // full of live pairs: recorded, not remembered
    expect(admit('a', 'on', 'u2', 1_002, true)).toBe(true);
    for (const flag of ['a', 'b', 'c']) expect(admit(flag, 'on', 'u1', 1_999)).toBe(false);
  });

  it('counts (flag, key) pairs against its bound, and forgets expired flags of a key', () => {
    const dedup = new ExposureDedup(1_000, 4);
    const admit = inRuns(dedup);
    for (const flag of ['a', 'b', 'c']) expect(admit(flag, 'on', 'u1', 0)).toBe(true);
    expect(admit('a', 'on', 'u2', 500)).toBe(true); // 4 pairs
    expect(admit('d', 'on', 'u2', 1_000)).toBe(true); // full: u1's three expired and were forgotten
    expect(admit('a', 'on', 'u2', 1_000)).toBe(false);
    expect(admit('b', 'on', 'u1', 1_000)).toBe(true);
    expect(admit('d', 'on', 'u2', 1_001)).toBe(false);
  });

  it('answers as a plain table of (flag, key) → variant until a time would, keys given again or not', () => {
    const op = fc.record({
      flag: fc.constantFrom('f1', 'f2', 'f3'),
      variant: fc.constantFrom('on', 'off'),
      key: fc.constantFrom('u1', 'u2', 'u3'),
      wait: fc.integer({ min: 0, max: 400 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const dedup = new ExposureDedup(1_000);
        const admit = inRuns(dedup);
        const model = new Map<string, { variant: string; until: number }>();
        let now = 0;
        let previousKey: string | undefined;
        for (const { flag, variant, key, wait } of ops) {
          now += wait;
          const held = model.get(`${flag}\u0000${key}`);
          const expected = !(held !== undefined && held.variant === variant && held.until > now);
          if (expected) model.set(`${flag}\u0000${key}`, { variant, until: now + 1_000 });
          expect(admit(flag, variant, key, now, key === previousKey)).toBe(expected);
          previousKey = key;
        }
      }),
    );
  });

  it('bounded, suppresses only duplicates of what it sent within the window, and all of them while at most its limit are live', () => {
    const limit = 4; // holds 5 of the 12 pairs below
    const op = fc.record({
      flag: fc.constantFrom('f1', 'f2', 'f3'),
      variant: fc.constantFrom('on', 'off'),
      key: fc.constantFrom('u1', 'u2', 'u3', 'u4'),
      wait: fc.integer({ min: 0, max: 300 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 300 }), (ops) => {
        const dedup = new ExposureDedup(1_000, limit);
        const admit = inRuns(dedup);
        // What was sent last per (flag, key), and until when it counts.
        const sent = new Map<string, { variant: string; until: number }>();
        let now = 0;
        let previousKey: string | undefined;
        let withinLimit = true;
        for (const { flag, variant, key, wait } of ops) {
          now += wait;
          const pair = `${flag}\u0000${key}`;
          const held = sent.get(pair);
          const duplicate = held !== undefined && held.variant === variant && held.until > now;
          const live = [...sent].filter(([p, h]) => p !== pair && h.until > now).length + 1;
          if (live > limit) withinLimit = false;
          const admitted = admit(flag, variant, key, now, key === previousKey);
          if (!admitted) expect(duplicate).toBe(true);
          if (withinLimit) expect(admitted).toBe(!duplicate);
          if (admitted) sent.set(pair, { variant, until: now + 1_000 });
          expect(dedup.size).toBeLessThanOrEqual(limit + 1);
          previousKey = key;
        }
      }),
    );
  });
});
