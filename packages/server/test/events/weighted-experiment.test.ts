import { describe, expect, it } from 'vitest';
import { analyzeExperiment } from '../../src/events/stats/experiment-analysis.js';

describe('results of an experiment weighted by subject weights', () => {
  const data = {
    // Balanced by seats: one big account on one side, many small ones on the other.
    variants: [
      { variant: 'control', subjects: 3 },
      { variant: 'new', subjects: 40 },
    ],
    mixedSubjects: 0,
    metrics: [],
  };
  const experiment = { key: 'e', variants: { control: 50_000, new: 50_000 } };

  it('skips the sample-ratio check, which counts heads', () => {
    expect(analyzeExperiment({ ...experiment, weightedBy: 'accounts' }, data).sampleRatio).toBeNull();
    expect(analyzeExperiment(experiment, data).sampleRatio?.mismatch).toBe(true);
  });
});
