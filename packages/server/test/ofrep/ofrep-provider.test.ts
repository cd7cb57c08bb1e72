import { OFREPProvider } from '@openfeature/ofrep-provider';
import { type Client, OpenFeature } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listeningServer } from '../delivery/listening-server.js';
import type { TestVexil } from '../helpers/vexil.js';
import { storeKinds } from '../helpers/vexil.js';

const kinds = await storeKinds();

/** Flags of every type, with targeting, a split, a disabled flag and a server-only flag. */
async function seed({ vexil }: TestVexil): Promise<void> {
  await vexil.flags.create('shop', 'new-checkout', {
    type: 'boolean',
    clientVisible: true,
    enabled: true,
    rules: [
      {
        id: 'north-america',
        conditions: [{ attribute: 'country', op: 'in', values: ['US', 'CA'] }],
        serve: { variant: 'on' },
      },
    ],
    defaultServe: { variant: 'off' },
  });
  await vexil.flags.create('shop', 'theme', {
    type: 'string',
    clientVisible: true,
    variants: { light: 'light', dark: 'dark' },
    enabled: true,
    targets: { dark: ['u-dark'] },
    defaultServe: { variant: 'light' },
  });
  await vexil.flags.create('shop', 'button', {
    type: 'string',
    clientVisible: true,
    variants: { green: 'green', blue: 'blue' },
    enabled: true,
    defaultServe: { rollout: { variants: { green: 50_000, blue: 50_000 } } },
  });
  await vexil.flags.create('shop', 'discount', {
    type: 'number',
    clientVisible: true,
    variants: { none: 0, some: 12.5 },
    enabled: true,
    defaultServe: { variant: 'some' },
  });
  await vexil.flags.create('shop', 'limits', {
    type: 'json',
    clientVisible: true,
    variants: { standard: { requests: 100, burst: [1, 2] } },
    enabled: true,
    defaultServe: { variant: 'standard' },
  });
  await vexil.flags.create('shop', 'paused', {
    type: 'boolean',
    clientVisible: true,
    enabled: false,
    offVariant: 'off',
    defaultServe: { variant: 'on' },
  });
  await vexil.flags.create('shop', 'server-only', {
    type: 'boolean',
    enabled: true,
    defaultServe: { variant: 'on' },
  });
}

describe.each(kinds)('OFREP through the OpenFeature server SDK and the OFREP provider, on %s', (kind) => {
  let s: ListeningServer;
  let client: Client;
  let browserKeyClient: Client;
  beforeAll(async () => {
    s = await listeningServer(kind, { seed });
    await OpenFeature.setProviderAndWait(
      `vexil-${kind}`,
      new OFREPProvider({ baseUrl: s.url, headers: [['Authorization', `Bearer ${s.serverKey}`]] }),
    );
    await OpenFeature.setProviderAndWait(
      `vexil-client-${kind}`,
      new OFREPProvider({ baseUrl: s.url, headers: [['Authorization', `Bearer ${s.clientKey}`]] }),
    );
    client = OpenFeature.getClient(`vexil-${kind}`);
    browserKeyClient = OpenFeature.getClient(`vexil-client-${kind}`);
  });
  afterAll(async () => {
    await OpenFeature.clearProviders();
    await s?.dispose();
  });

  it('evaluates a boolean flag with targeting: a matching rule, and the default serve', async () => {
    const us = await client.getBooleanDetails('new-checkout', false, { targetingKey: 'u1', country: 'US' });
    expect(us).toMatchObject({ value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    expect(us.errorCode).toBeUndefined();
    expect(us.flagMetadata).toMatchObject({ ruleId: 'north-america' });
    const fr = await client.getBooleanDetails('new-checkout', true, { targetingKey: 'u1', country: 'FR' });
    expect(fr).toMatchObject({ value: false, variant: 'off', reason: 'STATIC' });
    expect(fr.flagMetadata).toMatchObject({ vexilReason: 'DEFAULT' });
  });

  it('evaluates a string flag: an individual target, and a split', async () => {
    expect(await client.getStringDetails('theme', 'x', { targetingKey: 'u-dark' })).toMatchObject({
      value: 'dark',
      variant: 'dark',
      reason: 'TARGETING_MATCH',
    });
    const split = await client.getStringDetails('button', 'x', { targetingKey: 'user-7' });
    expect(split.reason).toBe('SPLIT');
    expect(['green', 'blue']).toContain(split.value);
    const again = await client.getStringDetails('button', 'x', { targetingKey: 'user-7' });
    expect(again.value).toBe(split.value); // sticky: the same subject, the same variant
  });

  it('evaluates number and object flags', async () => {
    expect(await client.getNumberValue('discount', -1, { targetingKey: 'u1' })).toBe(12.5);
    expect(await client.getObjectValue('limits', {}, { targetingKey: 'u1' })).toEqual({
      requests: 100,
      burst: [1, 2],
    });
  });

  it('serves the off variant of a disabled flag, with reason DISABLED', async () => {
    expect(await client.getBooleanDetails('paused', true, { targetingKey: 'u1' })).toMatchObject({
      value: false,
      variant: 'off',
      reason: 'DISABLED',
    });
  });

  it('gives the default with FLAG_NOT_FOUND for a missing flag', async () => {
    const details = await client.getStringDetails('no-such-flag', 'fallback', { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: 'fallback', reason: 'ERROR', errorCode: 'FLAG_NOT_FOUND' });
  });

  it('gives the default with TYPE_MISMATCH when the flag has another type', async () => {
    const details = await client.getNumberDetails('new-checkout', 7, { targetingKey: 'u1' });
    expect(details).toMatchObject({ value: 7, reason: 'ERROR', errorCode: 'TYPE_MISMATCH' });
  });

  it('hides server-only flags from a client key', async () => {
    expect(
      await browserKeyClient.getBooleanDetails('server-only', false, { targetingKey: 'u1' }),
    ).toMatchObject({
      value: false,
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(
      await browserKeyClient.getBooleanValue('new-checkout', false, { targetingKey: 'u1', country: 'CA' }),
    ).toBe(true);
    expect(await client.getBooleanValue('server-only', false, { targetingKey: 'u1' })).toBe(true);
  });

  it('sees a change as soon as it is committed', async () => {
    await s.adminCall('POST', '/api/v1/projects/shop/flags/paused/environments/production/enable');
    const version = (await s.vexil.environments.get('shop', 'production')).version;
    await s.delivery.snapshots.waitForVersion('shop', 'production', version, 10_000);
    expect(await client.getBooleanValue('paused', false, { targetingKey: 'u1' })).toBe(true);
    await s.adminCall('POST', '/api/v1/projects/shop/flags/paused/environments/production/disable');
  });

  it('gives the default with an error when the key is not accepted', async () => {
    await OpenFeature.setProviderAndWait(
      `vexil-bad-${kind}`,
      new OFREPProvider({
        baseUrl: s.url,
        headers: [['Authorization', 'Bearer vx_server_neverIssuedByThisServer000']],
      }),
    );
    const details = await OpenFeature.getClient(`vexil-bad-${kind}`).getBooleanDetails('new-checkout', true, {
      targetingKey: 'u1',
    });
    expect(details).toMatchObject({ value: true, reason: 'ERROR' });
  });
});
