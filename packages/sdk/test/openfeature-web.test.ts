import { OpenFeature, ProviderEvents } from '@openfeature/web-sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { createClient, silentLogger } from '../src/browser.js';
import { VexilProvider } from '../src/openfeature-web.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { until } from './support/wait.js';

// The web SDK, driven from Node (the provider is plain TypeScript over the browser entry point);
// browser.test.ts runs the browser build in Chromium.
afterAll(async () => {
  await OpenFeature.close();
});

describe('VexilProvider for @openfeature/web-sdk', () => {
  it('evaluates synchronously with the static context, all four types with details', async () => {
    const provider = new VexilProvider(
      createClient({ source: 'offline', bootstrap: sampleFlags(), logger: silentLogger }),
    );
    await OpenFeature.setProviderAndWait('web-types', provider);
    await OpenFeature.setContext('web-types', { targetingKey: 'user-beta', country: 'NL' });
    const client = OpenFeature.getClient('web-types');
    expect(client.getBooleanValue('new-checkout', false)).toBe(true);
    expect(client.getStringValue('button-color', 'red')).toBe('blue');
    expect(client.getNumberValue('max-items', 0)).toBe(50);
    expect(client.getObjectValue('theme', {})).toEqual({ background: '#000' });
    expect(client.getBooleanDetails('new-checkout', false)).toMatchObject({
      variant: 'on',
      reason: 'TARGETING_MATCH',
      flagMetadata: { ruleId: 'beta-users' },
    });
    await OpenFeature.setContext('web-types', { targetingKey: 'someone' });
    expect(client.getBooleanValue('new-checkout', true)).toBe(false);
  });

  it('emits CONFIGURATION_CHANGED when flags change on the server', async () => {
    const server = await new ProtocolServer(sampleFlags(1) as Record<string, unknown>).start();
    server.keys.add('vx_client_test');
    try {
      const provider = new VexilProvider({
        url: server.url,
        sdkKey: 'vx_client_test',
        logger: silentLogger,
        events: false,
        retry: { initialDelay: 20, maxDelay: 50 },
      });
      await OpenFeature.setProviderAndWait('web-events', provider);
      const client = OpenFeature.getClient('web-events');
      const changed: string[][] = [];
      client.addHandler(ProviderEvents.ConfigurationChanged, (d) => changed.push(d?.flagsChanged ?? []));
      server.change({ theme: null });
      await until(() => changed.length > 0, 'CONFIGURATION_CHANGED');
      expect(changed[0]).toEqual(['theme']);
      expect(client.getObjectDetails('theme', { none: true })).toMatchObject({ errorCode: 'FLAG_NOT_FOUND' });
      await OpenFeature.clearProviders();
    } finally {
      await server.stop();
    }
  });
});
