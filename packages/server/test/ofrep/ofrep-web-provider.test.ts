import { OFREPWebProvider } from '@openfeature/ofrep-web-provider';
import { OpenFeature, type Provider, ProviderEvents } from '@openfeature/web-sdk';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ListeningServer, listeningServer } from '../delivery/listening-server.js';

// The OpenFeature web SDK with the OFREP web provider, as a browser page would use them. Node has
// no EventSource, so the `eventsource` package (the WHATWG EventSource on fetch) stands in for the
// browser's; the provider then follows the bulk answer's eventStreams like it does in a browser.
const globals = globalThis as { EventSource?: unknown };
const hadEventSource = 'EventSource' in globals;

describe('OFREP through the OpenFeature web SDK and the OFREP web provider', () => {
  let s: ListeningServer;
  beforeAll(async () => {
    if (!hadEventSource) globals.EventSource = EventSource;
    s = await listeningServer('sqlite', {
      seed: async ({ vexil }) => {
        await vexil.flags.create('shop', 'banner', {
          type: 'boolean',
          clientVisible: true,
          enabled: true,
          rules: [{ conditions: [{ attribute: 'plan', op: 'eq', value: 'pro' }], serve: { variant: 'on' } }],
          defaultServe: { variant: 'off' },
        });
        await vexil.flags.create('shop', 'headline', {
          type: 'string',
          clientVisible: true,
          variants: { a: 'Hello', b: 'Welcome back' },
          enabled: true,
          defaultServe: { variant: 'a' },
        });
        await vexil.flags.create('shop', 'secret', { type: 'boolean', enabled: true });
      },
    });
    await OpenFeature.setContext({ targetingKey: 'visitor-1', plan: 'pro' });
    const provider = new OFREPWebProvider({
      baseUrl: s.url,
      headers: [['Authorization', `Bearer ${s.clientKey}`]],
      cacheMode: 'disabled',
      pollInterval: 0,
      disableVisibilityRefresh: true,
    });
    // The provider's own types predate exactOptionalPropertyTypes (`hooks?: Hook[] | undefined`).
    await OpenFeature.setProviderAndWait(provider as Provider);
  });
  afterAll(async () => {
    await OpenFeature.clearProviders();
    await s?.dispose();
    if (!hadEventSource) delete globals.EventSource;
  });

  it('evaluates client-visible flags for the page context, and hides the others', () => {
    const client = OpenFeature.getClient();
    expect(client.getBooleanDetails('banner', false)).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(client.getStringValue('headline', '')).toBe('Hello');
    expect(client.getBooleanDetails('secret', false)).toMatchObject({
      value: false,
      errorCode: 'FLAG_NOT_FOUND',
    });
  });

  it('refreshes when a flag changes, through the event stream, and says so', async () => {
    const client = OpenFeature.getClient();
    // The provider connects to the eventStreams endpoint of the bulk answer.
    for (let i = 0; i < 200 && s.delivery.streams.size === 0; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(s.delivery.streams.size).toBe(1);
    const changed = new Promise<string[]>((resolve) =>
      client.addHandler(ProviderEvents.ConfigurationChanged, (details) =>
        resolve(details?.flagsChanged ?? []),
      ),
    );
    await s.adminCall('PUT', '/api/v1/projects/shop/flags/headline/environments/production/serve', {
      variant: 'b',
    });
    expect(await changed).toContain('headline');
    expect(client.getStringValue('headline', '')).toBe('Welcome back');
  });
});
