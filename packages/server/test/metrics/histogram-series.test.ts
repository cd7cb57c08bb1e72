import fc from 'fast-check';
import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { histogramSeries } from '../../src/metrics/histogram-series.js';

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

function histogram() {
  const registry = new Registry();
  const metric = new Histogram({
    name: 'h',
    help: 'a histogram',
    labelNames: ['method', 'route'],
    buckets: BUCKETS,
    registers: [registry],
  });
  return { registry, metric };
}

const labelSets = [
  { method: 'GET', route: '/a' },
  { method: 'POST', route: '/a' },
  { method: 'GET', route: 'unmatched' },
];

describe('histogram series', () => {
  it('exports exactly what prom-client’s own observe exports for the same observations', async () => {
    const observation = fc.tuple(
      fc.constantFrom(0, 1, 2),
      fc.oneof(fc.constantFrom(0, ...BUCKETS, 7), fc.double({ min: 0, max: 10, noNaN: true })),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(observation), { maxLength: 4 }), async (rounds) => {
        const plain = histogram();
        const fast = histogram();
        const series = histogramSeries(fast.metric);
        const handles = labelSets.map((labels) => series.series(labels));
        for (const round of rounds) {
          for (const [set, value] of round) {
            plain.metric.observe(labelSets[set]!, value);
            handles[set]!.observe(value);
          }
          // Each read adds what came since the last one, once.
          expect(await fast.registry.metrics()).toBe(await plain.registry.metrics());
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps observations made with the public API, and counts again after a reset', async () => {
    const plain = histogram();
    const fast = histogram();
    const handle = histogramSeries(fast.metric).series(labelSets[0]!);
    for (const h of [plain.metric, fast.metric]) h.observe(labelSets[0]!, 0.3);
    plain.metric.observe(labelSets[0]!, 0.002);
    handle.observe(0.002);
    expect(await fast.registry.metrics()).toBe(await plain.registry.metrics());
    plain.metric.reset();
    fast.metric.reset();
    plain.metric.observe(labelSets[0]!, 9);
    handle.observe(9);
    expect(await fast.registry.metrics()).toBe(await plain.registry.metrics());
  });
});
