import { describe, expect, it } from 'vitest';
import { previewFlags } from './preview.js';

const set = {
  flags: {
    checkout: {
      type: 'boolean' as const,
      enabled: true,
      rules: [
        {
          id: 'us',
          conditions: [{ attribute: 'country', op: 'eq' as const, value: 'US' }],
          serve: { variant: 'on' },
        },
      ],
      defaultServe: { variant: 'off' },
    },
  },
  version: 7,
};

describe('previewFlags', () => {
  it('evaluates every flag with a rule-by-rule trace', () => {
    const result = previewFlags(set, { targetingKey: 'u1', country: 'US' }, Date.now());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.version).toBe(7);
    const [checkout] = result.results;
    expect(checkout).toMatchObject({
      key: 'checkout',
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      ruleId: 'us',
    });
    const rule = checkout!.trace!.find((s) => s.step === 'rule');
    expect(rule?.conditions?.[0]).toMatchObject({ attribute: 'country', actual: 'US', result: true });
  });

  it('refuses a context that is not an object', () => {
    expect(previewFlags(set, [1, 2], 0)).toMatchObject({ ok: false });
    expect(previewFlags(set, 'user-1', 0)).toMatchObject({ ok: false });
  });

  it('reports a flag set the core can’t read instead of throwing', () => {
    const result = previewFlags({ flags: { x: { type: 'nope' } } } as never, {}, 0);
    expect(result).toMatchObject({ ok: false });
  });
});
