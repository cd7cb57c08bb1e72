import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestServer, type TestServer } from '../helpers/server.js';

// Found while fuzzing: a field of the wrong type was reported as "required".
describe('validation messages for fields of the wrong type', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await newTestServer();
  });
  afterAll(async () => {
    await s.dispose();
  });

  it('says what a field of the wrong type got, and keeps "required" for a missing one', async () => {
    const cases: [unknown, string, string][] = [
      [{ key: 'x', type: 'boolean', enabled: 'yes' }, 'enabled', 'expected boolean, got string'],
      [{ key: 5, type: 'boolean' }, 'key', 'expected string, got number'],
      [{ key: 'x', type: 'boolean', tags: 'a' }, 'tags', 'expected array, got string'],
      [{ key: 'x', type: 'boolean', metadata: [] }, 'metadata', 'expected record, got an array'],
      [{ key: 'x', type: 'boolean', rules: null }, 'rules', 'expected array, got null'],
      [{ type: 'boolean' }, 'key', 'required (expected string)'],
    ];
    for (const [body, path, message] of cases) {
      const response = await s.call('POST', '/api/v1/projects/shop/flags', { body });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.issues).toContainEqual({ path, message });
    }
  });
});
