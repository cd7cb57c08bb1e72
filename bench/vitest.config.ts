import { defineProject } from 'vitest/config';

export default defineProject({
  // Workspace packages resolve to their TypeScript source (tests run in the SSR environment).
  resolve: { conditions: ['vexil-source'] },
  ssr: { resolve: { conditions: ['vexil-source'] } },
  test: { name: 'bench', include: ['test/**/*.test.ts'] },
});
