import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['vexil-source'] },
  ssr: { resolve: { conditions: ['vexil-source'] } },
  test: {
    projects: ['packages/*/vitest.config.ts', 'bench/vitest.config.ts'],
    reporters: ['default'],
  },
});
