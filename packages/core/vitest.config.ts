import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['vexil-source'] },
  ssr: { resolve: { conditions: ['vexil-source'] } },
  test: { name: 'core', include: ['src/**/*.test.ts', 'test/**/*.test.ts'] },
});
