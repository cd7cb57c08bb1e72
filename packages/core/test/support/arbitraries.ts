// fast-check arbitraries for flag sets, contexts and options: junk, and things shaped like the real ones.
import fc from 'fast-check';
import { OPERATORS } from '../../src/index.js';
import { VALUE_KIND } from '../../src/parse/check-condition.js';

/** Anything JavaScript can hold, nested a little. */
export const junk = fc.anything({
  maxDepth: 4,
  withBigInt: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withSparseArray: true,
  withNullPrototype: true,
  withBoxedValues: true,
  withObjectString: true,
});

export const FLAG_KEYS = ['f1', 'f2', 'f3', 'f4'] as const;
export const ATTRIBUTES = [
  'targetingKey',
  'plan',
  'age',
  'email',
  'user.country',
  '$now',
  'tags',
  'version',
  'when',
];

const attribute = fc.constantFrom(...ATTRIBUTES);
const variant = fc.constantFrom('on', 'off');
const instant = fc
  .integer({ min: Date.parse('2025-01-01T00:00:00Z'), max: Date.parse('2027-01-01T00:00:00Z') })
  .map((ms) => new Date(ms).toISOString());
/** A window: a start and an end after it. */
const window = fc.tuple(instant, fc.integer({ min: 1, max: 10 ** 10 })).map(([start, ms]) => ({
  start,
  end: new Date(Date.parse(start) + ms).toISOString(),
}));

export const scalar = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -5, max: 200 }),
  fc.boolean(),
  fc.constantFrom('1.2.3', 'v2.0.0-rc.1', '2026-01-01T00:00:00Z', '^a.*', 'pro', 's1', 's2', '(a'),
);

const some = <T>(item: fc.Arbitrary<T>) => fc.array(item, { minLength: 1, maxLength: 3 });
/** Values that suit each kind of operator, so that many generated sets are valid. */
const VALUES: Record<string, fc.Arbitrary<unknown[]>> = {
  number: some(fc.integer({ min: -5, max: 200 })),
  string: some(fc.string({ maxLength: 4 })),
  semver: some(fc.constantFrom('1.2.3', 'v2.0.0-rc.1', '0.0.1+build')),
  instant: some(fc.oneof(instant, fc.integer({ min: 0, max: 2 ** 42 }))),
  pattern: some(fc.constantFrom('^a.*', 'b+', '(?i)pro', '\\pL')),
  segment: some(fc.constantFrom('s1', 's2')),
  scalar: some(scalar),
};
const KIND: Partial<Record<string, string>> = VALUE_KIND;

/** A condition; one in ten has values of any kind (often wrong for its operator). */
export const condition = fc.constantFrom(...OPERATORS).chain((op) => {
  const suitable = VALUES[KIND[op] ?? 'scalar']!;
  const values = fc.oneof({ weight: 9, arbitrary: suitable }, { weight: 1, arbitrary: VALUES.scalar! });
  return fc.record({
    op: fc.constant(op),
    negate: fc.boolean(),
    ...(op === 'segment' ? {} : { attribute }),
    ...(op === 'exists' ? {} : { values }),
  });
});

const weights = fc.integer({ min: 0, max: 100_000 }).map((on) => ({ on, off: 100_000 - on }));
const rollout = fc.oneof(
  fc.record(
    { variants: weights, bucketBy: attribute, seed: fc.string({ maxLength: 4 }) },
    { requiredKeys: ['variants'] },
  ),
  fc.record({ variants: weights, random: fc.constant(true) }),
  fc.record({ variants: weights, ramp: fc.tuple(window, weights).map(([w, to]) => ({ ...w, to })) }),
  fc.record({
    variants: weights,
    schedule: fc.tuple(window, weights, weights).map(([w, a, b]) => [
      { at: w.start, variants: a },
      { at: w.end, variants: b },
    ]),
  }),
);
const serve = fc.oneof(fc.record({ variant }), fc.record({ rollout }));
const experiment = fc
  .tuple(
    fc.record(
      {
        key: fc.constantFrom('e1', 'e2'),
        allocation: fc.integer({ min: 0, max: 100_000 }),
        variants: weights,
        bucketBy: attribute,
      },
      { requiredKeys: ['key', 'variants'] },
    ),
    fc.option(window, { nil: undefined }),
  )
  .map(([e, w]) => ({ ...e, ...w }));

const config = fc.record(
  {
    enabled: fc.boolean(),
    offVariant: variant,
    prerequisites: fc.array(
      fc.record({ flag: fc.constantFrom('f4', 'elsewhere', 'elsewhere'), variants: some(variant) }),
      {
        maxLength: 2,
      },
    ),
    targets: fc.record({ on: fc.array(fc.constantFrom('u-1', 'u-2'), { maxLength: 2 }) }),
    overrides: fc.array(fc.record({ segment: fc.constantFrom('s1', 's2'), variant }), { maxLength: 2 }),
    experiment,
    rules: fc.array(
      fc.record(
        {
          id: fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'r6'),
          conditions: fc.array(condition, { maxLength: 3 }),
          serve,
        },
        { requiredKeys: ['conditions', 'serve'] },
      ),
      { maxLength: 3 },
    ),
    defaultServe: serve,
  },
  { requiredKeys: [] },
);

const flag = fc
  .record({
    type: fc.constantFrom('boolean', 'string', 'json'),
    base: config,
    environments: fc.option(fc.dictionary(fc.constantFrom('staging', 'prod'), config, { maxKeys: 2 }), {
      nil: undefined,
    }),
    archived: fc.constantFrom(false, false, false, true),
  })
  .map(({ type, base, environments, archived }) => ({
    type,
    ...(type === 'string' ? { variants: { on: 'yes', off: 'no' } } : {}),
    ...(type === 'json' ? { variants: { on: { on: true }, off: [] } } : {}),
    ...base,
    ...(environments === undefined ? {} : { environments }),
    archived,
    clientVisible: !archived,
  }));

/** Flag sets shaped like real ones; many are valid, many are subtly not. */
export const plausibleFlagSet = fc.record({
  environment: fc.constantFrom('staging', 'prod'),
  segments: fc.record({
    s1: fc.record(
      {
        included: fc.array(fc.constantFrom('u-1', 'u-2')),
        excluded: fc.array(fc.constantFrom('u-2')),
        conditions: fc.array(condition, { maxLength: 2 }),
      },
      { requiredKeys: [] },
    ),
    s2: fc.record({ conditions: fc.array(condition, { maxLength: 2 }) }, { requiredKeys: [] }),
  }),
  flags: fc.dictionary(fc.constantFrom(...FLAG_KEYS), flag, { minKeys: 1, maxKeys: 4 }),
});

/** Contexts with the attributes conditions look at, holding anything at all. */
export const context = fc.dictionary(
  fc.constantFrom(...ATTRIBUTES, 'user'),
  fc.oneof(scalar, junk, fc.constant({ country: 'FR' })),
  { maxKeys: 6 },
);

/** Evaluation options, including odd times and random sources. */
export const options = fc.record(
  {
    environment: fc.constantFrom('staging', 'prod', 'other'),
    now: fc.oneof(fc.integer({ min: 0, max: 2 ** 42 }), fc.double(), fc.date({ noInvalidDate: false })),
    defaultValue: fc.oneof(fc.boolean(), fc.string(), fc.double(), fc.constant(null), fc.constant({})),
    trace: fc.boolean(),
    random: fc.double().map((r) => () => r),
  },
  { requiredKeys: [] },
);
