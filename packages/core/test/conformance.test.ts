// Runs the language-neutral conformance cases of /conformance (see conformance/README.md).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BUCKET_LIMIT,
  bucket,
  type Condition,
  type EvaluateAllOptions,
  type EvaluateOptions,
  type EvaluationContext,
  evaluate,
  evaluateAll,
  type FlagSetInput,
  type JsonValue,
  MAX_TABLE_WEIGHT,
  murmur3,
  parseFlagSet,
  type Segment,
  weightedBuckets,
} from '../src/index.js';
import type { HashFile } from './support/hash-vectors.js';
import type { WeightFile } from './support/weight-vectors.js';

const root = new URL('../../../conformance/', import.meta.url);
const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, root), 'utf8')) as T;

interface OperatorFile {
  segments: Record<string, Segment>;
  cases: {
    description: string;
    condition: Condition;
    context: EvaluationContext;
    now?: string;
    expected: boolean;
  }[];
}

interface FlagFile {
  description: string;
  flagSet: FlagSetInput;
  cases: {
    description: string;
    flag: string;
    context?: EvaluationContext;
    defaultValue: JsonValue;
    environment?: string;
    now?: string;
    random?: number;
    expected: {
      value?: JsonValue;
      variant?: string;
      reason: string;
      ruleId?: string;
      experiment?: string;
      errorCode?: string;
    };
  }[];
}

/** Case descriptions name the tests, so they must be unique within a file. */
function assertUniqueDescriptions(file: string, cases: readonly { description: string }[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    if (seen.has(c.description)) throw new Error(`${file}: duplicate case description "${c.description}"`);
    seen.add(c.description);
  }
}

describe('conformance/hash.json', () => {
  const file = read<HashFile>('hash.json');
  assertUniqueDescriptions('hash.json murmur3', file.murmur3);

  it('states the bucketing constants of the implementation', () => {
    expect(file.bucketLimit).toBe(BUCKET_LIMIT);
    expect(file.buckets).toBe(100_000);
  });

  describe('murmur3', () => {
    for (const v of file.murmur3) {
      it(v.description, () => {
        expect(Buffer.from(v.text, 'utf8').toString('hex')).toBe(v.utf8);
        expect(murmur3(v.text, v.seed)).toBe(v.hash);
      });
    }
  });

  describe('bucket', () => {
    file.bucket.forEach((v, i) => {
      it(`${v.description} (${JSON.stringify(v.seed)}, ${JSON.stringify(v.value)}) #${i}`, () => {
        const text = `${v.seed}/${v.value}`;
        v.rejected.forEach((h, hashSeed) => {
          expect(murmur3(text, hashSeed)).toBe(h);
          expect(h).toBeGreaterThanOrEqual(BUCKET_LIMIT);
        });
        expect(murmur3(text, v.hashSeed)).toBe(v.hash);
        expect(v.hash).toBeLessThan(BUCKET_LIMIT);
        expect(v.bucket).toBe(v.hash % 100_000);
        expect(bucket(v.seed, v.value)).toBe(v.bucket);
      });
    });
  });
});

describe('conformance/subject-weights.json', () => {
  const file = read<WeightFile>('subject-weights.json');
  assertUniqueDescriptions('subject-weights.json', file.layouts);

  it('states the constants of the implementation', () => {
    expect(file.buckets).toBe(100_000);
    expect(file.maxTotalWeight).toBe(MAX_TABLE_WEIGHT);
  });

  for (const v of file.layouts) {
    it(v.description, () => {
      for (const e of v.layout) {
        expect(bucket(v.seed, e.subject)).toBe(e.hashBucket);
        expect(v.weights[e.subject]).toBe(e.weight);
      }
      expect(Object.keys(v.weights).length).toBe(v.layout.length);
      expect([...weightedBuckets(v.seed, v.weights)]).toEqual(v.layout.map((e) => [e.subject, e.bucket]));
    });
  }
});

/**
 * Rules run as generated code by default and interpreted where code generation is not
 * allowed: every case holds for both.
 */
const MODES = [
  { name: 'generated code', generateCode: true },
  { name: 'interpreted', generateCode: false },
] as const;

describe.each(MODES)('conformance/operators.json ($name)', ({ generateCode }) => {
  const file = read<OperatorFile>('operators.json');
  assertUniqueDescriptions('operators.json', file.cases);

  for (const c of file.cases) {
    it(c.description, () => {
      const set = parseFlagSet(
        {
          segments: file.segments,
          flags: {
            subject: {
              type: 'boolean',
              enabled: true,
              rules: [{ id: 'condition', conditions: [c.condition], serve: { variant: 'on' } }],
              defaultServe: { variant: 'off' },
            },
          },
        },
        { generateCode },
      );
      const options: EvaluateOptions<boolean> = { defaultValue: false };
      if (c.now !== undefined) options.now = Date.parse(c.now);
      const result = evaluate(set, 'subject', c.context, options);
      expect(result.errorCode).toBeUndefined();
      expect({ holds: result.value, reason: result.reason }).toEqual(
        c.expected ? { holds: true, reason: 'TARGETING_MATCH' } : { holds: false, reason: 'DEFAULT' },
      );
    });
  }
});

const flagFiles = readdirSync(new URL('flags/', root))
  .filter((name) => name.endsWith('.json'))
  .sort();

for (const name of flagFiles) {
  describe.each(MODES)(`conformance/flags/${name} ($name)`, ({ generateCode }) => {
    const file = read<FlagFile>(`flags/${name}`);
    assertUniqueDescriptions(name, file.cases);
    const set = parseFlagSet(file.flagSet, { generateCode });

    for (const c of file.cases) {
      it(c.description, () => {
        const options: EvaluateOptions<JsonValue> = { defaultValue: c.defaultValue };
        if (c.environment !== undefined) options.environment = c.environment;
        if (c.now !== undefined) options.now = Date.parse(c.now);
        const random = c.random;
        if (random !== undefined) options.random = () => random;
        const result = evaluate(set, c.flag, c.context ?? {}, options);
        expect({
          value: result.value,
          variant: result.variant,
          reason: result.reason,
          ruleId: result.ruleId,
          experiment: result.experiment,
          errorCode: result.errorCode,
        }).toEqual({
          value: c.expected.value,
          variant: c.expected.variant,
          reason: c.expected.reason,
          ruleId: c.expected.ruleId,
          experiment: c.expected.experiment,
          errorCode: c.expected.errorCode,
        });
      });
    }

    it('evaluateAll agrees with every case of the file (the same results, without a default value)', () => {
      for (const c of file.cases) {
        const code = c.expected.errorCode;
        if (code === 'FLAG_NOT_FOUND' || code === 'TYPE_MISMATCH') continue; // evaluateAll checks no type
        const options: EvaluateAllOptions = {};
        if (c.environment !== undefined) options.environment = c.environment;
        if (c.now !== undefined) options.now = Date.parse(c.now);
        const random = c.random;
        if (random !== undefined) options.random = () => random;
        const result = evaluateAll(set, c.context ?? {}, options).find((r) => r.key === c.flag);
        expect(
          {
            value: result?.variant === undefined ? c.expected.value : result.value,
            variant: result?.variant,
            reason: result?.reason,
            ruleId: result?.ruleId,
            experiment: result?.experiment,
            errorCode: result?.errorCode,
          },
          c.description,
        ).toEqual(c.expected);
      }
    });
  });
}

describe('conformance/README.md', () => {
  it('states how many cases each file holds', () => {
    const readme = readFileSync(new URL('README.md', root), 'utf8');
    const hash = read<HashFile>('hash.json');
    const operators = read<OperatorFile>('operators.json');
    const flags = flagFiles.reduce((n, name) => n + read<FlagFile>(`flags/${name}`).cases.length, 0);
    expect(readme).toContain(`${hash.murmur3.length} murmur3 + ${hash.bucket.length} bucket`);
    expect(readme).toContain(`${read<WeightFile>('subject-weights.json').layouts.length} layouts`);
    expect(readme).toMatch(
      new RegExp(`\\[\`operators\\.json\`\\]\\(operators\\.json\\) +\\| [^|]+\\| ${operators.cases.length} `),
    );
    expect(readme).toMatch(new RegExp(`\\[\`flags/\\*\\.json\`\\]\\(flags/\\) +\\| [^|]+\\| ${flags} `));
  });
});
