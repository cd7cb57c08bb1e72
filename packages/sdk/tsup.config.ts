import { defineConfig } from 'tsup';

export default defineConfig([
  {
    // Node: ESM + CJS + types. Dependencies stay external.
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing.ts',
      'openfeature-server': 'src/openfeature-server.ts',
      fastify: 'src/fastify.ts',
      express: 'src/express.ts',
    },
    outDir: 'dist/node',
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'node',
  },
  {
    // Browsers, for bundlers: ESM + types, no Node built-ins.
    entry: { browser: 'src/browser.ts', 'openfeature-web': 'src/openfeature-web.ts' },
    outDir: 'dist/browser',
    format: ['esm'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'es2022',
    platform: 'browser',
  },
  {
    // Browsers, without a bundler: one file with everything, exposing `window.Vexil`.
    entry: { 'vexil.global': 'src/browser.ts' },
    outDir: 'dist/browser',
    format: ['iife'],
    globalName: 'Vexil',
    noExternal: [/.*/],
    minify: true,
    sourcemap: true,
    target: 'es2022',
    platform: 'browser',
    outExtension: () => ({ js: '.js' }),
    // Bundle workspace packages from their source, so this build never depends on their dist being current.
    esbuildOptions(options) {
      options.conditions = ['vexil-source'];
    },
  },
]);
