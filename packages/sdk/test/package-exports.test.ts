import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { build } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installPacked, notBuilt, TSC } from './support/packed-project.js';

// Tests what users install: @vexil/core and @vexil/sdk packed with `npm pack`, installed in
// a scratch project (no network), then imported by ES modules and CommonJS, type-checked
// under two module resolutions, and bundled for a browser — without the workspace's
// source condition.

const unbuilt = notBuilt();
if (unbuilt !== undefined && process.env.CI === 'true')
  throw new Error(`${unbuilt}: CI must build before testing`);
if (unbuilt !== undefined)
  console.warn(`skipping the @vexil/sdk package-exports test: ${unbuilt}; run \`npm run build\` first`);

const ENTRIES = [
  '@vexil/sdk',
  '@vexil/sdk/testing',
  '@vexil/sdk/openfeature/server',
  '@vexil/sdk/openfeature/web',
  '@vexil/sdk/fastify',
  '@vexil/sdk/express',
];

/** Uses every entry point; `load` is `import()` or `require`, `where` resolves a specifier. */
const program = `
  const out = { resolved: {} };
  for (const entry of ${JSON.stringify(ENTRIES)}) out.resolved[entry] = where(entry).split('/node_modules/')[1];
  const sdk = await load('@vexil/sdk');
  const client = sdk.createClient({ source: 'offline', bootstrap: { flags: { f: { type: 'boolean', enabled: true } } } });
  await client.waitForReady({ timeout: 5000 });
  out.root = [client.getBoolean('f', false), typeof sdk.VexilError, typeof sdk.isSignedFlagSet];
  const testing = await load('@vexil/sdk/testing');
  const test = testing.createTestClient({ f: true, color: 'blue' });
  out.testing = [test.getBoolean('f', false), test.getString('color', 'x')];
  const ofServer = await load('@vexil/sdk/openfeature/server');
  out.openfeatureServer = (await new ofServer.VexilProvider(test).resolveStringEvaluation('color', 'x', {})).value;
  const ofWeb = await load('@vexil/sdk/openfeature/web');
  out.openfeatureWeb = new ofWeb.VexilProvider(test).resolveBooleanEvaluation('f', false, {}).value;
  const express = await load('@vexil/sdk/express');
  const request = {};
  express.vexilMiddleware({ client: test })(request, {}, () => {});
  out.express = request.flags.getString('color', 'x');
  const fastify = await load('@vexil/sdk/fastify');
  const hooks = [];
  fastify.vexilFastify({ decorateRequest() {}, addHook: (_name, hook) => hooks.push(hook) }, { client: test }, () => {});
  const fastifyRequest = {};
  hooks[0](fastifyRequest, {}, () => {});
  out.fastify = fastifyRequest.flags.getBoolean('f', false);
  await Promise.all([client.close(), test.close()]);
  process.stdout.write(JSON.stringify(out));
`;

const expected = {
  root: [true, 'function', 'function'],
  testing: [true, 'blue'],
  openfeatureServer: 'blue',
  openfeatureWeb: true,
  express: 'blue',
  fastify: true,
};

/** Lines of a scratch TypeScript program using the public API, per entry point. */
const typed = {
  root: `
import { createClient, type EvaluationDetails, type VexilClient, VexilError } from '@vexil/sdk';
const client: VexilClient = createClient({ url: 'http://localhost:4280', sdkKey: 'vx_server_x', events: { exposures: false } });
const on: boolean = client.getBoolean('f', false, { targetingKey: 'u' });
const details: EvaluationDetails<string> = client.getDetails('c', 'x');
const theme: { dark: boolean } = client.getJson('theme', { dark: false });
// @ts-expect-error a boolean getter with a string default
client.getBoolean('f', 'no');
// @ts-expect-error no such option
createClient({ sdkKey: 'k', pollingInterval: 5 });
void [on, details, theme, VexilError];`,
  web: `
import { VexilProvider as WebProvider } from '@vexil/sdk/openfeature/web';
void new WebProvider(client);`,
  server: `
import { createTestClient, type TestClient } from '@vexil/sdk/testing';
import { VexilProvider } from '@vexil/sdk/openfeature/server';
import { vexilFastify } from '@vexil/sdk/fastify';
import { vexilMiddleware } from '@vexil/sdk/express';
const test: TestClient = createTestClient({ f: true });
void new VexilProvider(test);
const middleware: (req: object, res: unknown, next: () => void) => void = vexilMiddleware({ client: test });
void [middleware, vexilFastify];`,
};

/** How a scratch project is type-checked: compiler options and its files (name → program). */
const TYPE_CHECKS: Array<[string, Record<string, unknown>, Record<string, string>]> = [
  [
    'node16 (ES module and CommonJS)',
    { module: 'node16', moduleResolution: 'node16', types: ['node'] },
    // A CommonJS file can't import the ES-module-only web provider.
    { 'app.ts': typed.root + typed.web + typed.server, 'app.cts': typed.root + typed.server },
  ],
  [
    'bundler (a server and its pages)',
    { module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: ['node'] },
    { 'app.ts': typed.root + typed.web + typed.server },
  ],
  [
    'bundler (browser only: no Node types)',
    { module: 'esnext', moduleResolution: 'bundler', lib: ['ES2022', 'DOM'], types: [] },
    { 'app.ts': typed.root + typed.web },
  ],
];

describe.skipIf(unbuilt !== undefined)('the packed @vexil/sdk package', () => {
  let project = '';

  beforeAll(() => {
    project = installPacked();
  }, 300_000);

  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const run = (file: string, args: string[] = []) =>
    JSON.parse(execFileSync(process.execPath, [...args, file], { cwd: project }).toString());

  it('imports every entry point from an ES module', () => {
    writeFileSync(
      path.join(project, 'esm.mjs'),
      `const load = (s) => import(s); const where = (s) => import.meta.resolve(s);\n${program}`,
    );
    const out = run('esm.mjs');
    expect(out).toMatchObject(expected);
    expect(out.resolved).toEqual({
      '@vexil/sdk': '@vexil/sdk/dist/node/index.js',
      '@vexil/sdk/testing': '@vexil/sdk/dist/node/testing.js',
      '@vexil/sdk/openfeature/server': '@vexil/sdk/dist/node/openfeature-server.js',
      '@vexil/sdk/openfeature/web': '@vexil/sdk/dist/browser/openfeature-web.js',
      '@vexil/sdk/fastify': '@vexil/sdk/dist/node/fastify.js',
      '@vexil/sdk/express': '@vexil/sdk/dist/node/express.js',
    });
  });

  it('requires every entry point from CommonJS', () => {
    writeFileSync(
      path.join(project, 'cjs.cjs'),
      `const load = async (s) => require(s); const where = (s) => require.resolve(s);\n(async () => {${program}})().catch((e) => { console.error(e); process.exit(1); });`,
    );
    const out = run('cjs.cjs');
    expect(out).toMatchObject(expected);
    expect(out.resolved).toEqual({
      '@vexil/sdk': '@vexil/sdk/dist/node/index.cjs',
      '@vexil/sdk/testing': '@vexil/sdk/dist/node/testing.cjs',
      '@vexil/sdk/openfeature/server': '@vexil/sdk/dist/node/openfeature-server.cjs',
      // Browser-only, ES module only: Node (≥ 20.19) requires it as an ES module.
      '@vexil/sdk/openfeature/web': '@vexil/sdk/dist/browser/openfeature-web.js',
      '@vexil/sdk/fastify': '@vexil/sdk/dist/node/fastify.cjs',
      '@vexil/sdk/express': '@vexil/sdk/dist/node/express.cjs',
    });
  });

  it('resolves the browser build under the browser condition, and it evaluates', () => {
    writeFileSync(
      path.join(project, 'browser.mjs'),
      `const load = (s) => import(s); const where = (s) => import.meta.resolve(s);\n${program}`,
    );
    const out = run('browser.mjs', ['--conditions=browser']);
    expect(out).toMatchObject(expected);
    expect(out.resolved['@vexil/sdk']).toBe('@vexil/sdk/dist/browser/browser.js');
  });

  it.each(TYPE_CHECKS)(
    'type-checks programs using the public API: moduleResolution %s',
    (name, options, files) => {
      const dir = path.join(project, `types-${name.replace(/\W+/g, '-')}`);
      mkdirSync(dir);
      for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
      writeFileSync(
        path.join(dir, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            lib: ['ES2022'],
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            exactOptionalPropertyTypes: true,
            typeRoots: [path.join(project, 'node_modules/@types')],
            ...options,
          },
          files: Object.keys(files),
        }),
      );
      let output = '';
      try {
        execFileSync(process.execPath, [TSC, '-p', dir], { cwd: dir });
      } catch (error) {
        output = String((error as { stdout?: Buffer }).stdout ?? error);
      }
      expect(output).toBe('');
    },
    // tsc over a whole installed project: seconds alone, a minute or more on a busy machine.
    240_000,
  );

  /**
   * Bundles `code` for a browser, everything inlined. Returns the inputs, what was left
   * external and the build's errors: a Node built-in is one or the other (esbuild refuses
   * "fs"; "node:fs" is left out as the external "fs").
   */
  async function bundleForBrowser(name: string, code: string) {
    writeFileSync(path.join(project, `${name}.js`), code);
    const outDir = path.join(project, `bundle-${name}`);
    const errors: string[] = [];
    await build({
      entry: { [name]: path.join(project, `${name}.js`) },
      outDir,
      format: ['esm'],
      platform: 'browser',
      noExternal: [/.*/],
      metafile: true,
      silent: true,
      config: false,
      dts: false,
      sourcemap: false,
    }).catch((error: { errors?: Array<{ text: string }> }) => {
      errors.push(...(error.errors?.map((e) => e.text) ?? [String(error)]));
    });
    if (errors.length > 0) return { inputs: [], external: [], errors };
    type Meta = { inputs: Record<string, { imports: Array<{ path: string; external?: boolean }> }> };
    const meta = JSON.parse(readFileSync(path.join(outDir, 'metafile-esm.json'), 'utf8')) as Meta;
    const external = Object.values(meta.inputs).flatMap((i) =>
      i.imports.filter((imported) => imported.external).map((imported) => imported.path),
    );
    return { inputs: Object.keys(meta.inputs), external, errors };
  }

  it('bundles the browser entry for a browser without any Node built-in', { timeout: 120_000 }, async () => {
    const page = await bundleForBrowser(
      'page',
      "import { createClient } from '@vexil/sdk';\nwindow.client = createClient({ source: 'offline' });\n",
    );
    expect(page.inputs.some((i) => i.includes('@vexil/sdk/dist/browser/'))).toBe(true);
    expect(page.inputs.filter((i) => i.includes('@vexil/sdk/dist/node/'))).toEqual([]);
    expect(page.external).toEqual([]);
    expect(page.errors).toEqual([]);
    // The same check finds the built-ins of the Node build.
    const node = await bundleForBrowser(
      'node-build',
      "export * from './node_modules/@vexil/sdk/dist/node/index.js';\n",
    );
    expect([...node.errors, ...node.external].join('\n')).toMatch(/\bfs\b/);
  });
});
