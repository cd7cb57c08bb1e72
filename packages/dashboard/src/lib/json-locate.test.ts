import { describe, expect, it } from 'vitest';
import { locatePath, parseJsonText } from './json-locate.js';

const text = `{
  "type": "boolean",
  "rules": [
    {
      "conditions": [
        { "attribute": "country", "op": "equal", "value": "US" }
      ],
      "serve": { "variant": "on" }
    }
  ]
}`;

describe('locatePath', () => {
  it('finds the line of an issue path in the JSON text', () => {
    expect(locatePath(text, 'rules[0].conditions[0].op')).toMatchObject({ line: 6, exact: true });
    expect(locatePath(text, 'type')).toMatchObject({ line: 2, exact: true });
  });

  it('falls back to the nearest parent for a field that is missing', () => {
    expect(locatePath(text, 'rules[0].serve.rollout.variants')).toMatchObject({ line: 8, exact: false });
    expect(locatePath(text, '')).toMatchObject({ line: 1, exact: true });
  });
});

describe('parseJsonText', () => {
  it('says where JSON is broken', () => {
    const result = parseJsonText('{\n  "a": 1,\n  "b": }');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(/not valid JSON/);
  });
});
