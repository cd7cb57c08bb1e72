import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/** The dashboard is served by `vexil serve` at `/`; in `npm run dev -w @vexil/dashboard` the API is proxied. */
export default defineConfig({
  plugins: [react()],
  // Workspace packages resolve to their TypeScript source: no need to build @vexil/core first.
  resolve: { conditions: ['vexil-source', ...defaultClientConditions] },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
    rolldownOptions: {
      output: {
        // Name the shared chunks after what they hold (charts load only with a chart on screen,
        // the evaluator only with the preview).
        codeSplitting: {
          // Only the matched modules: not their dependencies (React stays in the main chunk).
          includeDependenciesRecursively: false,
          groups: [
            {
              name: 'charts',
              test: /node_modules[\\/](recharts|d3-|victory-vendor|@reduxjs|immer|reselect|react-redux|decimal\.js|es-toolkit|eventemitter3|tiny-invariant)/,
            },
            { name: 'evaluator', test: /(packages[\\/]core[\\/]|node_modules[\\/](zod|re2js)[\\/])/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: { '/api': process.env.VEXIL_URL ?? 'http://localhost:4280' },
  },
});
