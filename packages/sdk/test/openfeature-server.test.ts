import { OpenFeature, ProviderEvents, ProviderStatus } from '@openfeature/server-sdk';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createClient, silentLogger } from '../src/index.js';
import { VexilProvider } from '../src/openfeature-server.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { until } from './support/wait.js';

// Tested through the OpenFeature client, as applications use it. Each test uses its own domain.
const servers: ProtocolServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});
afterAll(async () => {
  await OpenFeature.close();
});

async function fixture() {
  const server = await new ProtocolServer(sampleFlags(1) as Record<string, unknown>).start();
  servers.push(server);
  return server;
}

function serverOptions(server: ProtocolServer) {
  return {
    url: server.url,
    sdkKey: 'vx_server_test',
    logger: silentLogger,
    cache: false as const,
    retry: { initialDelay: 20, maxDelay: 50 },
    events: { persist: false, flushInterval: 60_000 },
  };
}

describe('VexilProvider for @openfeature/server-sdk', () => {
  it('resolves all four types with details through the OpenFeature client', async () => {
    const provider = new VexilProvider(
      createClient({ source: 'offline', bootstrap: sampleFlags(), logger: silentLogger }),
    );
    await OpenFeature.setProviderAndWait('types', provider);
    const client = OpenFeature.getClient('types');
    const context = { targetingKey: 'user-beta', country: 'NL' };
    expect(await client.getBooleanValue('new-checkout', false, context)).toBe(true);
    expect(await client.getStringValue('button-color', 'red', context)).toBe('blue');
    expect(await client.getNumberValue('max-items', 0, context)).toBe(50);
    expect(await client.getObjectValue('theme', {}, context)).toEqual({ background: '#000' });
    const details = await client.getBooleanDetails('new-checkout', false, context);
    expect(details).toMatchObject({
      flagKey: 'new-checkout',
      value: true,
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { ruleId: 'beta-users', owner: 'payments' },
    });
  });

  it('reports errors the OpenFeature way: default value and error code', async () => {
    const provider = new VexilProvider({ source: 'offline', bootstrap: sampleFlags(), logger: silentLogger });
    await OpenFeature.setProviderAndWait('errors', provider);
    const client = OpenFeature.getClient('errors');
    expect(await client.getStringDetails('missing', 'dflt')).toMatchObject({
      value: 'dflt',
      reason: 'ERROR',
      errorCode: 'FLAG_NOT_FOUND',
    });
    expect(await client.getNumberDetails('new-checkout', 3)).toMatchObject({
      value: 3,
      errorCode: 'TYPE_MISMATCH',
    });
  });

  it('emits CONFIGURATION_CHANGED with the changed flag keys, then STALE and READY around an outage', async () => {
    const server = await fixture();
    const provider = new VexilProvider(serverOptions(server));
    await OpenFeature.setProviderAndWait('events', provider);
    const client = OpenFeature.getClient('events');
    const seen: Array<{ type: string; flags?: string[] | undefined }> = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (d) =>
      seen.push({ type: 'changed', flags: d?.flagsChanged }),
    );
    client.addHandler(ProviderEvents.Stale, () => seen.push({ type: 'stale' }));
    client.addHandler(ProviderEvents.Ready, () => seen.push({ type: 'ready' }));
    await until(() => seen.some((e) => e.type === 'ready'), 'the initial READY handler run');
    seen.length = 0;
    server.change({
      'max-items': { type: 'number', enabled: true, variants: { one: 1 }, defaultServe: { variant: 'one' } },
    });
    await until(() => seen.length > 0, 'CONFIGURATION_CHANGED');
    expect(seen[0]).toEqual({ type: 'changed', flags: ['max-items'] });
    expect(await client.getNumberValue('max-items', 0)).toBe(1);

    server.override = (_req, p) => (p === '/api/v1/sdk/stream' ? { status: 503 } : undefined);
    server.dropStreams();
    await until(() => client.providerStatus === ProviderStatus.STALE, 'STALE');
    server.override = undefined;
    await until(() => client.providerStatus === ProviderStatus.READY, 'READY again');
    expect(seen.map((e) => e.type)).toEqual(['changed', 'stale', 'ready']);
    await OpenFeature.clearProviders();
  });

  it('is in a fatal state (ERROR) when the key is refused', async () => {
    const server = await fixture();
    server.keys.clear();
    const provider = new VexilProvider(serverOptions(server));
    await expect(OpenFeature.setProviderAndWait('fatal', provider)).rejects.toThrow(/refused the SDK key/);
    const client = OpenFeature.getClient('fatal');
    expect(client.providerStatus).toBe(ProviderStatus.FATAL);
    expect(await client.getBooleanDetails('new-checkout', true)).toMatchObject({
      value: true,
      errorCode: 'PROVIDER_FATAL',
    });
  });

  it('sends tracked events through the client', async () => {
    const server = await fixture();
    const provider = new VexilProvider(serverOptions(server));
    await OpenFeature.setProviderAndWait('track', provider);
    OpenFeature.getClient('track').track('purchase', { targetingKey: 'user-7' }, { value: 12.5 });
    await provider.client.flush();
    expect(server.storedEvents().find((e) => e.kind === 'track')).toMatchObject({
      name: 'purchase',
      value: 12.5,
      contextKey: 'user-7',
    });
    await provider.onClose();
  });
});
