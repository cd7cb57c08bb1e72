import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer } from '../../src/http/create-server.js';
import { newTestVexil, storeKinds, type TestVexil } from '../helpers/vexil.js';

// 1,000 subjects per variant; 100 control and 120 treatment subjects buy (each for 10).
// Reference figures from SciPy 1.17 over the same data (see statistics.test.ts for the formulas).

const kinds = await storeKinds();
const T = '2026-11-25T10:00:00.000Z';
const LATER = '2026-11-25T10:05:00.000Z';
const BEFORE = '2026-11-25T09:00:00.000Z';

describe.each(kinds)('experiment results over ingested events (%s)', (kind) => {
  let t: TestVexil;
  let app: FastifyInstance;
  let admin = '';

  beforeAll(async () => {
    t = await newTestVexil(kind);
    app = await createServer({ vexil: t.vexil });
    admin = (await t.vexil.keys.create({ kind: 'admin', name: 'admin' })).secret;
    const sdk = (await t.vexil.keys.create({ kind: 'server', project: 'shop', environment: 'production' }))
      .secret;
    await t.vexil.flags.create('shop', 'checkout', {
      type: 'string',
      variants: { control: 'old', treatment: 'new' },
      environments: {
        production: {
          enabled: true,
          experiment: {
            key: 'checkout-test',
            start: '2026-11-25T00:00:00.000Z',
            variants: { control: 50_000, treatment: 50_000 },
            metrics: [{ event: 'purchase' }, { event: 'revenue', kind: 'sum' }],
          },
        },
      },
    });
    const events: object[] = [];
    const exposure = (key: string, variant: string) => ({
      kind: 'exposure',
      time: T,
      flag: 'checkout',
      variant,
      contextKey: key,
      reason: 'SPLIT',
      experiment: 'checkout-test',
    });
    const buy = (key: string, time = LATER) => [
      { kind: 'track', time, name: 'purchase', contextKey: key },
      { kind: 'track', time, name: 'revenue', value: 10, contextKey: key },
    ];
    for (let i = 0; i < 1000; i++) {
      events.push(exposure(`c${i}`, 'control'), exposure(`t${i}`, 'treatment'));
      if (i < 100) events.push(...buy(`c${i}`));
      if (i < 120) events.push(...buy(`t${i}`));
    }
    // Left out: a subject that saw both variants, a purchase before the exposure, an exposure
    // of another experiment on the same flag.
    events.push(exposure('both', 'control'), exposure('both', 'treatment'), ...buy('both'));
    events.push(...buy('c500', BEFORE));
    events.push({ ...exposure('x1', 'treatment'), experiment: 'older-test' });
    for (let i = 0; i < events.length; i += 1000) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/events',
        headers: { authorization: `Bearer ${sdk}` },
        payload: { batchId: randomUUID(), events: events.slice(i, i + 1000) },
      });
      expect(response.statusCode).toBe(202);
    }
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await t?.dispose();
  });

  const results = (query = '') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/projects/shop/flags/checkout/environments/production/experiment/results${query}`,
      headers: { authorization: `Bearer ${admin}` },
    });

  it('gives subjects, conversion rates with intervals, the difference against control and the SRM check', async () => {
    const response = await results();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      experiment: 'checkout-test',
      status: 'running',
      from: '2026-11-25T00:00:00.000Z',
      to: null,
      control: 'control',
      mixedSubjects: 1,
      variants: [
        { variant: 'control', weight: 50_000, subjects: 1000 },
        { variant: 'treatment', weight: 50_000, subjects: 1000 },
      ],
      sampleRatio: { chiSquare: 0, degreesOfFreedom: 1, pValue: 1, mismatch: false },
    });
    const [purchase, revenue] = body.metrics;
    expect(purchase.event).toBe('purchase');
    expect(purchase.kind).toBe('conversion');
    const [control, treatment] = purchase.variants;
    expect(control).toMatchObject({
      variant: 'control',
      subjects: 1000,
      conversions: 100,
      value: 0.1,
      vsControl: null,
    });
    expect(control.interval[0]).toBeCloseTo(0.08295, 4);
    expect(treatment).toMatchObject({ conversions: 120, value: 0.12 });
    expect(treatment.vsControl.difference).toBeCloseTo(0.02, 12);
    expect(treatment.vsControl.interval[0]).toBeCloseTo(-0.0074114819980199455, 10);
    expect(treatment.vsControl.interval[1]).toBeCloseTo(0.04741148199801992, 10);
    expect(treatment.vsControl.pValue).toBeCloseTo(0.15270801019387803, 10);
    expect(treatment.vsControl).toMatchObject({ significant: false, better: null });

    expect(revenue.kind).toBe('sum');
    const [revControl, revTreatment] = revenue.variants;
    expect(revControl).toMatchObject({ total: 1000, value: 1, sampleSize: 1000 });
    expect(revControl.interval[0]).toBeCloseTo(0.813968451268688, 10);
    expect(revControl.interval[1]).toBeCloseTo(1.186031548731312, 10);
    expect(revTreatment.vsControl.difference).toBeCloseTo(0.2, 12);
    expect(revTreatment.vsControl.interval[0]).toBeCloseTo(-0.07425198026898289, 10);
    expect(revTreatment.vsControl.pValue).toBeCloseTo(0.15291337330384788, 10);
  });

  it('takes another control and window from the query, and names a bad control', async () => {
    const swapped = (await results('?control=treatment')).json();
    expect(swapped.control).toBe('treatment');
    expect(swapped.metrics[0].variants[0].vsControl.difference).toBeCloseTo(-0.02, 12);
    const empty = (await results('?to=2026-11-25T09:30:00Z')).json();
    expect(empty.variants.map((v: { subjects: number }) => v.subjects)).toEqual([0, 0]);
    expect(empty.sampleRatio).toBeNull();
    const bad = await results('?control=nope&from=soon');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.issues.map((i: { path: string }) => i.path)).toEqual(['query.from']);
    const unknown = await results('?control=nope');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.issues[0].path).toBe('query.control');
  });

  it('answers 404 for a flag without an experiment', async () => {
    await t.vexil.flags.create('shop', 'plain', { type: 'boolean' });
    const response = await app.inject({
      method: 'GET',
      url: '/api/v1/projects/shop/flags/plain/environments/production/experiment/results',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(response.statusCode).toBe(404);
  });
});
