import fc from 'fast-check';
import Fastify, { type FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors/index.js';
import { jsonBodyParser, MAX_DEPTH, tooDeep } from '../../src/http/json-body.js';

type Parser = (
  request: FastifyRequest,
  body: string,
  done: (error: Error | null, value: unknown) => void,
) => void;

const secure = Fastify().getDefaultJsonParser('error', 'error') as unknown as Parser;
const fast = jsonBodyParser(secure);

/** What the server did before the fast path: blank is no body, else fastify's parser, then the depth walk. */
const reference: Parser = (request, body, done) => {
  if (body === '' || body.trim() === '') return done(null, undefined);
  secure(request, body, (error, value) => {
    if (error) return done(error, undefined);
    if (tooDeep(value, MAX_DEPTH))
      return done(new ValidationError([{ path: '', message: 'deep' }]), undefined);
    done(null, value);
  });
};

function outcome(parser: Parser, body: string): unknown {
  let result: unknown;
  parser({} as FastifyRequest, body, (error, value) => {
    result = error
      ? { error: error instanceof ValidationError ? 'too deep' : (error as { code?: string }).code }
      : { value };
  });
  return result;
}

const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;

describe('the JSON body parser', () => {
  it('answers hand-picked bodies exactly as fastify’s parser with the depth check', () => {
    const bodies = [
      '',
      '   ',
      '\n\t ',
      '\u00a0',
      '\ufeff{"a":1}',
      '{"context":{"targetingKey":"u-1","country":"US"}}',
      '{"__proto__":{"x":1}}',
      '{"a":{"__proto__":{}}}',
      '{"\\u005f_proto__":{"x":1}}',
      '{"constructor":{"prototype":{"x":1}}}',
      '{"constructor":1}',
      '{"c\\u006fnstructor":{"prototype":{}}}',
      '{"note":"the __proto__ word in a value"}',
      '{"note":"a \\"quoted\\" value"}',
      '{"a":',
      '{"a":1}}',
      'nul',
      '"text"',
      '42',
      'null',
      nested(MAX_DEPTH),
      nested(MAX_DEPTH + 1),
      `{"a":${nested(MAX_DEPTH)}}`,
      `{"s":"${'['.repeat(200)}"}`,
      `[${'{"a":'.repeat(70)}1${'}'.repeat(70)}]`,
    ];
    for (const body of bodies)
      expect(outcome(fast, body), JSON.stringify(body)).toEqual(outcome(reference, body));
    expect(outcome(fast, '{"__proto__":{"x":1}}')).toEqual({ error: 'FST_ERR_CTP_INVALID_JSON_BODY' });
    expect(outcome(fast, nested(MAX_DEPTH + 1))).toEqual({ error: 'too deep' });
    expect(outcome(fast, ' ')).toEqual({ value: undefined });
    expect(outcome(fast, '{"a":[1]}')).toEqual({ value: { a: [1] } });
  });

  it('answers any JSON document, and broken ones, as before', () => {
    const poison = fc.constantFrom(
      '__proto__',
      'constructor',
      '\\u005f_proto__',
      'prototype',
      '\\"',
      '\ufeff',
      '',
    );
    const body = fc.oneof(
      fc.json({ depthSize: 'large' }),
      fc.tuple(fc.json(), poison, fc.nat()).map(([json, p, at]) => {
        const i = at % (json.length + 1);
        return json.slice(0, i) + p + json.slice(i);
      }),
      fc
        .tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 80 }))
        .map(([d, e]) => `{"k":${'['.repeat(d)}${']'.repeat(e)}}`),
      fc.string(),
    );
    fc.assert(
      fc.property(body, (text) => {
        expect(outcome(fast, text)).toEqual(outcome(reference, text));
      }),
      { numRuns: 2000 },
    );
  });
});
