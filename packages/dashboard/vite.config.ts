import react from '@vitejs/plugin-react';
import { defaultClientConditions, defineConfig } from 'vite';

/** The dashboard is served by `vexil serve` at `/`; in `npm run dev -w @vexil/dashboard` the API is proxied. */
export default defineConfig({
  plugins: [react()],
  // Workspace packages resolve to their TypeScript source: no need to build @vexil/core first.
  resolve: { conditions: ['vexil-source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, target: 'es2022' },
  server: {
    proxy: { '/api': process.env.VEXIL_URL ?? 'http://localhost:4280' },
  },
});
