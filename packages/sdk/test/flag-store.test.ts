import { evaluate } from '@vexil/core';
import { describe, expect, it } from 'vitest';
import { FlagStore } from '../src/client/flag-store.js';
import { sampleFlags } from './support/flags.js';

describe('FlagStore', () => {
  it('applies a patch that follows the version held and lists the changed keys', () => {
    const store = new FlagStore();
    store.replace(sampleFlags(3), 'live');
    const result = store.patch({
      version: 4,
      previousVersion: 3,
      flags: {
        'max-items': {
          type: 'number',
          enabled: true,
          variants: { one: 1 },
          defaultServe: { variant: 'one' },
        },
      },
    });
    expect(result).toMatchObject({ status: 'applied', changed: ['max-items'], version: 4 });
    expect(store.held.version).toBe(4);
  });

  it('removes flags and segments a patch sets to null, and lists flags that used them', () => {
    const store = new FlagStore();
    store.replace(sampleFlags(1), 'live');
    const result = store.patch({
      version: 2,
      previousVersion: 1,
      flags: { theme: null },
      segments: { beta: null },
    });
    expect(result.status).toBe('applied');
    if (result.status !== 'applied') return;
    expect(result.changed).toContain('theme');
    expect(store.definition?.flags.theme).toBeUndefined();
    // new-checkout still names the removed segment, so neither its new nor its old definition can stay.
    expect(store.definition?.flags['new-checkout']).toBeUndefined();
    expect(result.warning?.message).toContain('flags.new-checkout');
    expect(store.definition?.flags['button-color']).toBeDefined();
  });

  it('reports a gap when a patch does not follow the version held', () => {
    const store = new FlagStore();
    store.replace(sampleFlags(5), 'live');
    expect(store.patch({ version: 8, previousVersion: 7, flags: {} })).toEqual({ status: 'gap' });
    expect(store.held.version).toBe(5);
  });

  it('never goes backwards once live data is held', () => {
    const store = new FlagStore();
    store.replace(sampleFlags(9), 'live');
    expect(store.replace(sampleFlags(8), 'live').status).toBe('ignored');
    expect(store.patch({ version: 9, previousVersion: 8, flags: {} }).status).toBe('ignored');
    expect(store.replace(sampleFlags(20), 'cache').status).toBe('ignored');
    expect(store.held.version).toBe(9);
  });

  it('lets the first live snapshot replace cached data whatever its version', () => {
    const store = new FlagStore();
    store.replace(sampleFlags(40), 'cache');
    expect(store.replace(sampleFlags(2), 'live').status).toBe('applied');
    expect(store.held.version).toBe(2);
  });

  it('keeps the previous definition of a flag that arrives malformed, and the rest of the change', () => {
    const store = new FlagStore();
    store.replace(sampleFlags(1), 'live');
    const result = store.patch({
      version: 2,
      previousVersion: 1,
      flags: {
        'max-items': { type: 'number', variants: { x: 'not a number' } },
        theme: {
          type: 'json',
          enabled: true,
          variants: { light: { background: '#fff' } },
          defaultServe: { variant: 'light' },
        },
      },
    });
    expect(result.status).toBe('applied');
    if (result.status !== 'applied') return;
    expect(result.warning?.code).toBe('INVALID_FLAG_DATA');
    expect(result.warning?.message).toContain('flags.max-items');
    expect(store.definition?.flags['max-items']?.variants).toEqual({ small: 10, large: 50 });
    expect(store.definition?.flags.theme?.variants).toEqual({ light: { background: '#fff' } });
  });

  it('applies weight tables in patches: flags weighted by a changed table are listed', () => {
    const weighted = {
      type: 'boolean',
      enabled: true,
      defaultServe: {
        rollout: {
          variants: { on: 40000, off: 60000 },
          bucketBy: 'accountId',
          seed: 'checkout',
          weightedBy: 'accounts',
        },
      },
    };
    const store = new FlagStore();
    store.replace(
      {
        ...sampleFlags(1),
        subjectWeights: { accounts: { weights: { acme: 50, globex: 10, initech: 30, hooli: 10 } } },
        flags: { ...sampleFlags(1).flags, billing: weighted },
      },
      'live',
    );
    const on = () => evaluate(store.definition!, 'billing', { accountId: 'initech' }).value;
    expect(on()).toBe(true);
    // hooli, after initech in the layout, grows to 200 seats: initech's bucket falls from 75000 to 30000.
    const grown = store.patch({
      version: 2,
      previousVersion: 1,
      subjectWeights: { accounts: { weights: { acme: 50, globex: 10, initech: 30, hooli: 200 } } },
    });
    expect(grown).toMatchObject({ status: 'applied', changed: ['billing'] });
    expect(on()).toBe(false);
    const malformed = store.patch({
      version: 3,
      previousVersion: 2,
      subjectWeights: { accounts: { weights: { acme: -1 } } },
    });
    expect(malformed.status).toBe('applied');
    if (malformed.status !== 'applied') return;
    expect(malformed.warning?.message).toContain('subjectWeights.accounts');
    expect(store.definition?.subjectWeights?.accounts?.weights.hooli).toBe(200);
    const gone = store.patch({
      version: 4,
      previousVersion: 3,
      flags: { billing: null },
      subjectWeights: { accounts: null },
    });
    expect(gone).toMatchObject({ status: 'applied', changed: ['billing'] });
    expect(store.definition).not.toHaveProperty('subjectWeights');
  });

  it('rejects data that is not a flag set at all', () => {
    const store = new FlagStore();
    expect(store.replace('nonsense', 'live').status).toBe('rejected');
    expect(store.replace({ flags: 3 }, 'live').status).toBe('rejected');
    expect(store.held.kind).toBe('none');
  });
});
