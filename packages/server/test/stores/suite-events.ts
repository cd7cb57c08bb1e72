import { expect, it } from 'vitest';
import type { EventBatchRecord, EventRecord, Store } from '../../src/stores/index.js';
import type { TestStore } from './store-suite.js';

const DAY1 = '2026-11-25';
const DAY2 = '2026-11-26';

function batch(
  batchId: string,
  events: EventRecord[],
  extra: Partial<EventBatchRecord> = {},
): EventBatchRecord {
  return {
    project: 'shop',
    environment: 'production',
    batchId,
    sdk: 'vexil-js/0.1.0',
    receivedAt: '2026-11-26T12:00:00.000Z',
    events,
    ...extra,
  };
}

function exposure(
  contextKey: string | null,
  variant: string,
  time: string,
  extra: Partial<EventRecord> = {},
): EventRecord {
  return {
    kind: 'exposure',
    time,
    flag: 'checkout',
    variant,
    contextKey,
    reason: 'SPLIT',
    ruleId: null,
    experiment: 'checkout-test',
    ...extra,
  } as EventRecord;
}

function track(
  contextKey: string | null,
  name: string,
  time: string,
  value: number | null = null,
): EventRecord {
  return { kind: 'track', time, name, value, contextKey };
}

const at = (day: string, hour: number) => `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;

async function migrated(get: () => TestStore): Promise<Store> {
  const { store } = get();
  await store.migrate();
  return store;
}

export function eventTests(get: () => TestStore): void {
  it('stores a batch once: a retry in the same append or a later one is a duplicate', async () => {
    const store = await migrated(get);
    const first = batch('b-1', [exposure('u1', 'a', at(DAY1, 10)), track('u1', 'buy', at(DAY1, 11), 5)]);
    const outcomes = await store.appendEventBatches([
      first,
      batch('b-2', [exposure('u2', 'b', at(DAY1, 10))]),
      first,
    ]);
    expect(outcomes).toEqual([
      { batchId: 'b-1', duplicate: false },
      { batchId: 'b-2', duplicate: false },
      { batchId: 'b-1', duplicate: true },
    ]);
    expect(await store.appendEventBatches([first])).toEqual([{ batchId: 'b-1', duplicate: true }]);
    const exposures = await store.countExposures({ project: 'shop' });
    expect(exposures.reduce((n, r) => n + r.exposures, 0)).toBe(2);
    const tracks = await store.countTrackedEvents({ project: 'shop' });
    expect(tracks).toEqual([
      { environment: 'production', name: 'buy', day: DAY1, count: 1, sum: 5, subjects: 1 },
    ]);
  });

  it('keeps batch ids apart per environment', async () => {
    const store = await migrated(get);
    const outcomes = await store.appendEventBatches([
      batch('same', [exposure('u1', 'a', at(DAY1, 10))]),
      batch('same', [exposure('u1', 'a', at(DAY1, 10))], { environment: 'staging' }),
    ]);
    expect(outcomes.map((o) => o.duplicate)).toEqual([false, false]);
    const rows = await store.countExposures({ project: 'shop' });
    expect(rows.map((r) => r.environment).sort()).toEqual(['production', 'staging']);
  });

  it('counts exposures per flag, variant and day with distinct subjects, filtered', async () => {
    const store = await migrated(get);
    await store.appendEventBatches([
      batch('b-1', [
        exposure('u1', 'a', at(DAY1, 1)),
        exposure('u1', 'a', at(DAY1, 2)),
        exposure('u2', 'a', at(DAY1, 3)),
        exposure(null, 'a', at(DAY1, 4)),
        exposure('u3', 'b', at(DAY1, 5)),
        exposure('u3', 'b', at(DAY2, 5)),
        exposure('u4', 'on', at(DAY1, 5), { flag: 'banner', experiment: null }),
      ]),
      batch('b-2', [exposure('u9', 'a', at(DAY1, 1))], { environment: 'staging' }),
    ]);
    const production = await store.countExposures({
      project: 'shop',
      environment: 'production',
      flag: 'checkout',
    });
    expect(production).toEqual([
      { environment: 'production', flag: 'checkout', variant: 'a', day: DAY1, exposures: 4, subjects: 2 },
      { environment: 'production', flag: 'checkout', variant: 'b', day: DAY1, exposures: 1, subjects: 1 },
      { environment: 'production', flag: 'checkout', variant: 'b', day: DAY2, exposures: 1, subjects: 1 },
    ]);
    const window = await store.countExposures({
      project: 'shop',
      environment: 'production',
      from: at(DAY1, 3),
      to: at(DAY2, 0),
    });
    expect(window.map((r) => [r.flag, r.variant, r.day, r.exposures])).toEqual([
      ['banner', 'on', DAY1, 1],
      ['checkout', 'a', DAY1, 2],
      ['checkout', 'b', DAY1, 1],
    ]);
    expect(await store.countExposures({ project: 'other' })).toEqual([]);
  });

  it('counts tracked events per name and day with the sum of their values', async () => {
    const store = await migrated(get);
    await store.appendEventBatches([
      batch('b-1', [
        track('u1', 'purchase', at(DAY1, 1), 10.5),
        track('u1', 'purchase', at(DAY1, 2), 4.5),
        track('u2', 'purchase', at(DAY1, 3)),
        track(null, 'signup', at(DAY2, 3)),
      ]),
    ]);
    expect(await store.countTrackedEvents({ project: 'shop', name: 'purchase' })).toEqual([
      { environment: 'production', name: 'purchase', day: DAY1, count: 3, sum: 15, subjects: 2 },
    ]);
    expect(await store.countTrackedEvents({ project: 'shop', from: at(DAY2, 0) })).toEqual([
      { environment: 'production', name: 'signup', day: DAY2, count: 1, sum: 0, subjects: 0 },
    ]);
  });

  it('reads an experiment: subjects per variant, mixed subjects left out, events after the first exposure', async () => {
    const store = await migrated(get);
    await store.appendEventBatches([
      batch('b-1', [
        exposure('u1', 'control', at(DAY1, 2)),
        exposure('u1', 'control', at(DAY1, 5)),
        exposure('u2', 'control', at(DAY1, 2)),
        exposure('u3', 'treatment', at(DAY1, 2)),
        exposure('u4', 'treatment', at(DAY1, 2)),
        exposure('u5', 'treatment', at(DAY1, 2)),
        exposure('mixed', 'control', at(DAY1, 2)),
        exposure('mixed', 'treatment', at(DAY1, 3)),
        exposure('late', 'treatment', at(DAY2, 20)),
        exposure('other-test', 'treatment', at(DAY1, 2), { experiment: 'another' }),
        // u1: before exposure (ignored), then two purchases
        track('u1', 'purchase', at(DAY1, 1), 100),
        track('u1', 'purchase', at(DAY1, 3), 10),
        track('u1', 'purchase', at(DAY1, 4), 30),
        // u3: one purchase; u4: a purchase without a value; u5 nothing
        track('u3', 'purchase', at(DAY1, 6), 40),
        track('u4', 'purchase', at(DAY1, 6)),
        track('mixed', 'purchase', at(DAY1, 6), 1000),
        track('u2', 'signup', at(DAY1, 6)),
      ]),
    ]);
    const data = await store.readExperimentData({
      project: 'shop',
      environment: 'production',
      flag: 'checkout',
      experiment: 'checkout-test',
      from: at(DAY1, 0),
      to: at(DAY2, 0),
      metrics: ['purchase', 'signup', 'purchase'],
    });
    expect(data.variants).toEqual([
      { variant: 'control', subjects: 2 },
      { variant: 'treatment', subjects: 3 },
    ]);
    expect(data.mixedSubjects).toBe(1);
    expect(data.metrics.map((m) => m.event)).toEqual(['purchase', 'signup']);
    const purchase = data.metrics[0]!.rows;
    expect(purchase).toEqual([
      // u1 total 40 (mean 20); u2 nothing
      {
        variant: 'control',
        subjects: 2,
        converted: 1,
        total: 40,
        totalSq: 1600,
        valued: 1,
        meanSum: 20,
        meanSumSq: 400,
      },
      // u3 40; u4 converted without value; u5 nothing
      {
        variant: 'treatment',
        subjects: 3,
        converted: 2,
        total: 40,
        totalSq: 1600,
        valued: 1,
        meanSum: 40,
        meanSumSq: 1600,
      },
    ]);
    expect(data.metrics[1]!.rows.map((r) => [r.variant, r.converted])).toEqual([
      ['control', 1],
      ['treatment', 0],
    ]);
  });
}
