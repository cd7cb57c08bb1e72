import fc from 'fast-check';

/** A request body as it goes on the wire: raw text and the Content-Type it claims. */
export interface WireBody {
  readonly kind: string;
  readonly payload: string;
  readonly contentType: string | undefined;
}

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

/** Text that breaks JSON in the ways clients (and attackers) break it. */
const brokenJson = fc.oneof(
  fc.constantFrom(
    '{',
    '{"a":',
    '[1,2',
    'nul',
    'undefined',
    "{'single': 'quotes'}",
    '{"a":1,}',
    '{"a" 1}',
    '\u0000',
    '\uFEFF{"key":"x"}',
    '1e999999',
    '-',
    '"\\ud800"',
    '{"key":"\\u0000"}',
    '{"a":NaN}',
    '{"a":Infinity}',
    '[]'.repeat(10_000),
  ),
  fc.string({ unit: 'binary', maxLength: 200 }),
);

/** Deeply nested arrays or objects, as text (built without recursion). */
const deep = fc
  .record({ depth: fc.integer({ min: 20, max: 20_000 }), object: fc.boolean() })
  .map(({ depth, object }) =>
    object ? `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}` : `${'['.repeat(depth)}${']'.repeat(depth)}`,
  );

/** Prototype-pollution attempts, as text (an object literal would not keep `__proto__` as a key). */
const pollution = fc
  .record({ key: fc.constantFrom(...PROTO_KEYS), value: fc.jsonValue({ maxDepth: 2 }), nested: fc.boolean() })
  .map(({ key, value, nested }) => {
    const inner = `{${JSON.stringify(key)}:${JSON.stringify(value ?? null)},"polluted":true}`;
    return nested ? `{"key":"p","flags":{"x":${inner}},"rule":${inner},"value":${inner}}` : inner;
  });

/** A junk value to put where a field goes. */
export const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53 + 2, -(2 ** 63), 1e308, '', ' ', [], {}, [[[]]]),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.string({ unit: 'binary', maxLength: 64 }),
  fc.string({ unit: 'grapheme', maxLength: 32 }),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
  fc.jsonValue({ maxDepth: 3 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 20 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 5 }),
);

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a value inside `value` (the root is `[]`). */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) paths(v, [...prefix, i], out);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(root) as Record<string | number, unknown>;
  let node = copy;
  for (const p of path.slice(0, -1)) node = node[p] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove && Array.isArray(node)) node.splice(Number(last), 1);
  else if (remove) delete node[last];
  else node[last] = value;
  return copy;
}

/** A valid body with one to three fields replaced by junk, removed, or joined by an unknown field. */
export function mutated(sample: unknown): fc.Arbitrary<unknown> {
  const all = paths(sample);
  const edit = fc.record({
    path: fc.constantFrom(...all),
    op: fc.constantFrom('replace', 'remove', 'add'),
    value: junk,
    name: fc.oneof(fc.constantFrom('extra', 'enabled', 'type', 'variants', ''), fc.string({ maxLength: 6 })),
  });
  return fc.array(edit, { minLength: 1, maxLength: 3 }).map((edits) => {
    let body = structuredClone(sample);
    for (const e of edits) {
      const valid = paths(body).some((p) => p.join('\u0000') === e.path.join('\u0000'));
      if (!valid) continue;
      if (e.op === 'add') {
        const parent = e.path.reduce<unknown>((n, p) => (n as Record<string | number, unknown>)?.[p], body);
        if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
          body = setAt(body, [...e.path, e.name], e.value, false);
        }
      } else body = setAt(body, e.path, e.value, e.op === 'remove');
    }
    return body as Json;
  });
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8'];
const OTHER_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/xml',
  'application/json; charset=utf-16',
  'application/octet-stream',
  'application/yaml',
  'image/png',
  'garbage',
];

/** Malformed bodies for a route whose valid body is `sample`. */
export function wireBody(sample: unknown): fc.Arbitrary<WireBody> {
  const json = (kind: string, arb: fc.Arbitrary<unknown>) =>
    fc
      .record({
        payload: arb.map((v) => JSON.stringify(v) ?? 'null'),
        contentType: fc.constantFrom(...JSON_TYPES),
      })
      .map((b) => ({ kind, ...b }));
  const text = (kind: string, arb: fc.Arbitrary<string>, types: string[]) =>
    fc.record({ payload: arb, contentType: fc.constantFrom(...types) }).map((b) => ({ kind, ...b }));
  return fc.oneof(
    { weight: 6, arbitrary: json('mutated', mutated(sample)) },
    { weight: 2, arbitrary: json('wrong type', junk) },
    { weight: 2, arbitrary: text('invalid JSON', brokenJson, JSON_TYPES) },
    { weight: 1, arbitrary: text('deep nesting', deep, JSON_TYPES) },
    { weight: 2, arbitrary: text('prototype keys', pollution, JSON_TYPES) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1024 * 1024 + 1, max: 1024 * 1024 + 4096 }).map((n) => ({
        kind: 'too large',
        payload: `{"key":"${'x'.repeat(n)}"}`,
        contentType: 'application/json',
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .record({
          payload: fc.oneof(brokenJson, fc.constant(JSON.stringify(sample))),
          contentType: fc.option(fc.constantFrom(...OTHER_TYPES), { nil: undefined }),
        })
        .map((b) => ({ kind: 'wrong content type', ...b })),
    },
  );
}

/** YAML for the import route: broken YAML, alias bombs, tags, duplicate keys, deep nesting. */
export const yamlBody: fc.Arbitrary<WireBody> = fc
  .oneof(
    fc.constantFrom(
      'flags: [unclosed',
      'flags:\n  a: {type: boolean}\n  a: {type: string}\n',
      'flags: !!js/function "function(){}"',
      'flags: !!binary aGVsbG8=',
      `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\nflags: *f\n`,
      '__proto__: {polluted: true}\nflags: {}\n',
      'flags:\n  x:\n    type: boolean\n    __proto__: {enabled: true}\n',
      '\t\tflags: {}',
      '%YAML 9.9\n---\nflags: {}',
      '--- !<tag:yaml.org,2002:set>\n? a\n',
    ),
    fc.integer({ min: 50, max: 5_000 }).map((d) => `${'- '.repeat(d)}x`),
    fc.string({ unit: 'binary', maxLength: 300 }),
  )
  .chain((payload) =>
    fc
      .constantFrom('application/yaml', 'text/yaml', 'application/x-yaml')
      .map((contentType) => ({ kind: 'YAML', payload, contentType })),
  );

/** Query strings with junk values for the names routes know (and some they don't). */
export const junkQuery: fc.Arbitrary<string> = fc
  .array(
    fc.record({
      name: fc.constantFrom(
        'limit',
        'offset',
        'dryRun',
        'mode',
        'environment',
        'rule',
        'scope',
        'after',
        'archived',
        'tag',
        'text',
        'kind',
        'includeInactive',
        'resourceType',
        '__proto__',
        'constructor[prototype]',
        'x',
      ),
      value: fc.oneof(
        fc.constantFrom(
          '-1',
          '0',
          '1e9',
          '99999999999999999999',
          'NaN',
          'true',
          'maybe',
          '',
          '%00',
          '%E0%A4%A',
          'replace',
          '../etc',
        ),
        fc.string({ maxLength: 12 }),
      ),
    }),
    { minLength: 1, maxLength: 4 },
  )
  .map((pairs) =>
    pairs
      .map(
        (p) =>
          `${encodeURIComponent(p.name).replace(/%5B|%5D/g, (m) => (m === '%5B' ? '[' : ']'))}=${p.value.startsWith('%') ? p.value : encodeURIComponent(p.value)}`,
      )
      .join('&'),
  );
