import { describe, expect, it } from 'vitest';
import { createClient, silentLogger } from '../src/index.js';
import { sampleFlags } from './support/flags.js';

function offlineClient(bootstrap = sampleFlags() as never) {
  return createClient({ source: 'offline', bootstrap, logger: silentLogger });
}

describe('offline client with a bootstrap flag set', () => {
  it('evaluates every type locally and synchronously from the first call', () => {
    const client = offlineClient();
    expect(client.getBoolean('new-checkout', true)).toBe(false);
    expect(client.getBoolean('new-checkout', false, { targetingKey: 'user-beta' })).toBe(true);
    expect(client.getString('button-color', 'red', { country: 'NL' })).toBe('blue');
    expect(client.getNumber('max-items', 1)).toBe(50);
    expect(client.getJson('theme', {})).toEqual({ background: '#000' });
  });

  it('becomes ready without any network', async () => {
    const client = offlineClient();
    await client.waitForReady({ timeout: 1000 });
    expect(client.isReady()).toBe(true);
    expect(client.status).toBe('ready');
  });

  it('explains an evaluation: variant, reason, rule id and metadata', () => {
    const details = offlineClient().getDetails('new-checkout', false, { targetingKey: 'user-beta' });
    expect(details).toMatchObject({
      key: 'new-checkout',
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      ruleId: 'beta-users',
      metadata: { owner: 'payments' },
    });
    expect(details.errorCode).toBeUndefined();
  });

  it('returns the default with an error code for unknown flags and wrong types', () => {
    const client = offlineClient();
    expect(client.getDetails('nope', 'x')).toMatchObject({
      value: 'x',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(client.getDetails('new-checkout', 'x')).toMatchObject({ value: 'x', errorCode: 'TYPE_MISMATCH' });
    expect(client.getString('max-items', 'fallback')).toBe('fallback');
  });

  it('serves the off variant of a disabled flag', () => {
    expect(offlineClient().getDetails('kill-switch', true)).toMatchObject({
      value: false,
      reason: 'DISABLED',
    });
  });

  it('never throws, whatever it is given', () => {
    const client = offlineClient();
    const hostile = {
      get country(): string {
        throw new Error('boom');
      },
    };
    expect(client.getString('button-color', 'safe', hostile)).toBe('safe');
    expect(() => client.getBoolean(undefined as never, false, 42 as never)).not.toThrow();
    expect(client.getNumber('max-items', 7, null as never)).toBe(50);
  });

  it('merges the default context under the per-call context', () => {
    const client = offlineClient();
    client.setContext({ targetingKey: 'user-1', country: 'NL' });
    expect(client.getString('button-color', 'red')).toBe('blue');
    expect(client.getString('button-color', 'red', { country: 'DE' })).toBe('green');
    client.identify('user-beta', { country: 'DE' });
    expect(client.getContext()).toEqual({ targetingKey: 'user-beta', country: 'DE' });
    expect(client.getBoolean('new-checkout', false)).toBe(true);
    client.reset();
    expect(client.getContext()).toEqual({});
    expect(client.getBoolean('new-checkout', true)).toBe(false);
  });

  it('binds an evaluator to one context with forContext', () => {
    const scoped = offlineClient().forContext({ targetingKey: 'user-beta', country: 'NL' });
    expect(scoped.getBoolean('new-checkout', false)).toBe(true);
    expect(scoped.getString('button-color', 'red')).toBe('blue');
    expect(scoped.getDetails('max-items', 0)).toMatchObject({ value: 50, variant: 'large' });
  });

  it('serves an empty offline client with FLAG_NOT_FOUND once ready', async () => {
    const client = createClient({ source: 'offline', logger: silentLogger });
    await client.waitForReady();
    expect(client.getDetails('anything', 3)).toMatchObject({ value: 3, errorCode: 'FLAG_NOT_FOUND' });
  });
});

describe('allFlags', () => {
  it('returns a serialisable state without context attributes that bootstraps another client', async () => {
    const server = offlineClient();
    const state = server.allFlags({ targetingKey: 'user-beta', country: 'NL', email: 'a@b.example' });
    const json = JSON.stringify(state);
    expect(json).not.toContain('a@b.example');
    expect(json).not.toContain('user-beta');
    const browser = createClient({ source: 'offline', bootstrap: JSON.parse(json), logger: silentLogger });
    await browser.waitForReady();
    expect(browser.getBoolean('new-checkout', false)).toBe(true);
    expect(browser.getString('button-color', 'red')).toBe('blue');
    expect(browser.getDetails('new-checkout', false)).toMatchObject({ variant: 'on', ruleId: 'beta-users' });
    expect(browser.getDetails('button-color', false)).toMatchObject({ errorCode: 'TYPE_MISMATCH' });
    expect(browser.getDetails('unknown', 1)).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
  });

  it('keeps only client-visible flags when asked', () => {
    const state = offlineClient().allFlags({}, { clientVisibleOnly: true });
    expect(Object.keys(state.flags).sort()).toEqual(['button-color', 'new-checkout']);
  });

  it('accepts a bootstrap given as JSON text', () => {
    const client = offlineClient(JSON.stringify(sampleFlags()) as never);
    expect(client.getNumber('max-items', 0)).toBe(50);
  });
});
