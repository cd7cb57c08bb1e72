import type { TestServer } from './server.js';

const P = '/api/v1/projects/default';
const day = 86_400_000;

/** Example flags, a segment, an experiment and a weight table in the `default` project: enough to see every page. */
export async function seedDemo(server: TestServer): Promise<void> {
  const api = server.api.bind(server);
  await api('POST', `${P}/segments`, {
    key: 'beta-testers',
    description: 'People who asked for early features',
    included: ['user-1', 'user-2'],
    conditions: [{ attribute: 'email', op: 'endsWith', value: '@example.com' }],
  });
  await api('POST', `${P}/flags`, {
    key: 'new-checkout',
    type: 'boolean',
    description: 'The one-page checkout',
    tags: ['checkout'],
    owner: 'team-payments',
    lifecycle: 'temporary',
    clientVisible: true,
  });
  const now = Date.now();
  await api('PUT', `${P}/flags/new-checkout/environments/production`, {
    enabled: true,
    targets: { on: ['user-7'] },
    overrides: [{ segment: 'beta-testers', variant: 'on' }],
    rules: [
      {
        id: 'north-america',
        description: 'US and Canada first',
        conditions: [{ attribute: 'country', op: 'in', values: ['US', 'CA'] }],
        serve: { rollout: { variants: { on: 50_000, off: 50_000 } } },
      },
    ],
    defaultServe: {
      rollout: {
        variants: { on: 10_000, off: 90_000 },
        ramp: {
          start: new Date(now - 2 * day).toISOString(),
          end: new Date(now + 5 * day).toISOString(),
          to: { on: 100_000, off: 0 },
        },
      },
    },
  });
  await api('POST', `${P}/flags`, {
    key: 'checkout-theme',
    type: 'string',
    description: 'Colour theme of the checkout',
    tags: ['checkout', 'design'],
    variants: { classic: 'classic', bold: 'bold', calm: 'calm' },
    offVariant: 'classic',
    defaultServe: { variant: 'classic' },
  });
  await api('PUT', `${P}/flags/checkout-theme/environments/production`, {
    enabled: true,
    prerequisites: [{ flag: 'new-checkout', variants: ['on'] }],
    rules: [
      {
        id: 'big-accounts',
        conditions: [
          { attribute: 'plan', op: 'eq', value: 'enterprise' },
          { attribute: 'seats', op: 'gt', value: 100 },
        ],
        serve: { variant: 'bold' },
      },
    ],
    defaultServe: {
      rollout: {
        variants: { classic: 100_000, bold: 0, calm: 0 },
        schedule: [
          {
            at: new Date(now - day).toISOString(),
            variants: { classic: 60_000, bold: 20_000, calm: 20_000 },
          },
          {
            at: new Date(now + 2 * day).toISOString(),
            variants: { classic: 34_000, bold: 33_000, calm: 33_000 },
          },
        ],
      },
    },
    experiment: {
      key: 'theme-test',
      description: 'Does a bolder checkout sell more?',
      start: new Date(now - 3 * day).toISOString(),
      end: new Date(now + 11 * day).toISOString(),
      allocation: 20_000,
      variants: { classic: 50_000, bold: 50_000 },
      metrics: [{ event: 'purchase', kind: 'conversion' }],
    },
  });
  await api('POST', `${P}/flags`, {
    key: 'search-page-size',
    type: 'number',
    variants: { small: 10, large: 50 },
    defaultServe: { variant: 'small' },
    offVariant: 'small',
    tags: ['search'],
  });
  await api('POST', `${P}/flags/search-page-size/environments/development/enable`);
  // A weight table with a long tail (a few large accounts, many small ones) and a flag rolled out by it.
  const seats: Record<string, number> = { acme: 4200, globex: 1800, initech: 950, umbrella: 600, hooli: 420 };
  for (let i = 6; i <= 200; i++)
    seats[`account-${String(i).padStart(3, '0')}`] = 1 + Math.floor(2000 / i ** 1.3);
  await api('PUT', `${P}/subject-weights/accounts`, { description: 'Seats per account', weights: seats });
  await api('POST', `${P}/flags`, {
    key: 'new-billing',
    type: 'boolean',
    description: 'Usage-based billing, rolled out by seats rather than by accounts',
    tags: ['billing'],
    environments: {
      production: {
        enabled: true,
        defaultServe: {
          rollout: {
            variants: { on: 10_000, off: 90_000 },
            bucketBy: 'accountId',
            seed: 'billing',
            weightedBy: 'accounts',
          },
        },
      },
    },
  });
}

/**
 * Exposures and purchases for an experiment, sent as an SDK would (`POST /api/v1/events`
 * with a server key): `subjects[variant]` subjects each, spread over the last three days,
 * of which `conversions[variant]` purchase.
 */
export async function sendExperimentEvents(
  server: TestServer,
  options: {
    flag: string;
    experiment: string;
    environment?: string;
    subjects: Record<string, number>;
    conversions: Record<string, number>;
    event?: string;
  },
): Promise<void> {
  const environment = options.environment ?? 'production';
  const { secret } = await server.api<{ secret: string }>('POST', '/api/v1/keys', {
    kind: 'server',
    project: 'default',
    environment,
    name: `events for ${options.flag}`,
  });
  const events: unknown[] = [];
  const now = Date.now();
  for (const [variant, count] of Object.entries(options.subjects)) {
    for (let i = 0; i < count; i++) {
      const contextKey = `${variant}-user-${i}`;
      const time = new Date(now - ((i % 3) * day + 60_000)).toISOString();
      events.push({
        kind: 'exposure',
        time,
        flag: options.flag,
        variant,
        contextKey,
        reason: 'SPLIT',
        experiment: options.experiment,
      });
      if (i < (options.conversions[variant] ?? 0)) {
        events.push({
          kind: 'track',
          time: new Date(Date.parse(time) + 30_000).toISOString(),
          name: options.event ?? 'purchase',
          value: 40 + (i % 20),
          contextKey,
        });
      }
    }
  }
  for (let i = 0; i < events.length; i += 1000) {
    const response = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ batchId: `demo-${options.flag}-${i}`, events: events.slice(i, i + 1000) }),
    });
    if (response.status !== 202)
      throw new Error(`POST /api/v1/events → ${response.status} ${await response.text()}`);
  }
}
