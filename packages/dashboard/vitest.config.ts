import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['vexil-source'] },
  ssr: { resolve: { conditions: ['vexil-source'] } },
  test: {
    name: 'dashboard',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
  },
});
