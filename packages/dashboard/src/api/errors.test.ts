import { describe, expect, it } from 'vitest';
import {
  ApiError,
  asApiError,
  describeError,
  formatIssuePath,
  issuesAt,
  otherIssues,
  parseIssuePath,
  rebaseIssues,
  toApiError,
} from './errors.js';

describe('toApiError', () => {
  it('reads the API error body with its code and every issue', () => {
    const body = JSON.stringify({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'invalid flag (1 issue)',
        issues: [{ path: 'rules[0].conditions[0].op', message: 'unknown operator' }, { bad: true }],
      },
    });
    const error = toApiError(400, body);
    expect(error).toBeInstanceOf(ApiError);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([{ path: 'rules[0].conditions[0].op', message: 'unknown operator' }]);
  });

  it('keeps the details an error body carries, and only an object', () => {
    const body = (details: unknown) =>
      JSON.stringify({ error: { code: 'IN_USE', message: 'in use', issues: [], details } });
    expect(toApiError(409, body({ flags: ['billing'] })).details).toEqual({ flags: ['billing'] });
    expect(toApiError(409, body(['billing'])).details).toBeUndefined();
    expect(
      toApiError(409, JSON.stringify({ error: { code: 'IN_USE', message: 'm' } })).details,
    ).toBeUndefined();
  });

  it('names the status for a body that is not the API’s (a proxy page, nothing)', () => {
    expect(toApiError(502, '<html>Bad gateway</html>').message).toBe('the server answered 502');
    expect(toApiError(500, '').code).toBe('HTTP_500');
    expect(toApiError(503, 'down for maintenance').message).toBe(
      'the server answered 503: down for maintenance',
    );
  });

  it('turns a failed fetch into a NETWORK error', () => {
    expect(asApiError(new TypeError('Failed to fetch')).code).toBe('NETWORK');
  });

  it('tells the person what to do about a version conflict', () => {
    expect(describeError(new ApiError(412, 'VERSION_CONFLICT', 'stale'))).toMatch(/someone else changed/i);
  });
});

describe('issue paths', () => {
  const error = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
    { path: 'rule.conditions[1].op', message: 'unknown operator' },
    { path: 'rule.serve', message: 'give exactly one' },
    { path: 'headers.if-match', message: 'not a version' },
  ]);

  it('splits a path into keys and indexes', () => {
    expect(parseIssuePath('environments.production.rules[0].conditions[12].op')).toEqual([
      'environments',
      'production',
      'rules',
      0,
      'conditions',
      12,
      'op',
    ]);
  });

  it('reads the keys the server quotes (digits first, dots, spaces) as names', () => {
    expect(parseIssuePath('weights["42"]')).toEqual(['weights', '42']);
    expect(parseIssuePath('weights["acme.eu"]')).toEqual(['weights', 'acme.eu']);
    expect(parseIssuePath('weights["say \\"hi\\"[0]"].x')).toEqual(['weights', 'say "hi"[0]', 'x']);
    expect(formatIssuePath(['weights', 'acme.eu'])).toBe('weights["acme.eu"]');
    expect(formatIssuePath(['weights', '42', 'x'])).toBe('weights["42"].x');
    expect(formatIssuePath(['weights', 'new-acme_2'])).toBe('weights.new-acme_2');
    const error = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
      { path: 'weights["acme.eu"]', message: 'a subject weight must be a whole number ≥ 1' },
    ]);
    expect(issuesAt(error, formatIssuePath(['weights', 'acme.eu']))).toHaveLength(1);
    expect(issuesAt(error, formatIssuePath(['weights', 'acme']))).toEqual([]);
  });

  it('finds the issues at a field or below it', () => {
    expect(issuesAt(error, 'rule.conditions').map((i) => i.message)).toEqual(['unknown operator']);
    expect(issuesAt(error, 'rule.conditions[1]').map((i) => i.message)).toEqual(['unknown operator']);
    expect(issuesAt(error, 'rule.serve', true).map((i) => i.message)).toEqual(['give exactly one']);
    expect(issuesAt(error, 'rule.cond')).toEqual([]);
    expect(issuesAt(new Error('x'), 'rule')).toEqual([]);
  });

  it('lists the issues no field shows', () => {
    expect(otherIssues(error, ['rule']).map((i) => i.path)).toEqual(['headers.if-match']);
  });
});

describe('rebaseIssues', () => {
  it('moves issues of a whole-flag check to the form’s own paths', () => {
    const error = new ApiError(400, 'VALIDATION_FAILED', 'bad', [
      { path: 'environments.production.rules[2].conditions[0].value', message: 'invalid pattern' },
      { path: 'variants', message: 'other' },
    ]);
    const moved = rebaseIssues(error, 'environments.production.rules[2]', 'rule');
    expect(moved.issues.map((i) => i.path)).toEqual(['rule.conditions[0].value', 'variants']);
    expect(rebaseIssues(error, 'environments.production.rules[2]', '').issues[0]!.path).toBe(
      'conditions[0].value',
    );
    expect(formatIssuePath(['a', 0, 'b'])).toBe('a[0].b');
  });
});
