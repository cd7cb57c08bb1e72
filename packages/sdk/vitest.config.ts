import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['vexil-source'] },
  ssr: { resolve: { conditions: ['vexil-source'] } },
  test: {
    name: 'sdk',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
