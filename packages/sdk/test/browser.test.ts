import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowser } from './support/browser-build.js';
import { sampleFlags } from './support/flags.js';
import { ProtocolServer } from './support/protocol-server.js';
import { startRealServer } from './support/real-server.js';

// The browser build, loaded in Debian's Chromium through playwright-core.
const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true')
  throw new Error(`Chromium is required under CI=true (${CHROMIUM})`);
if (!available) console.warn(`skipping browser tests: ${CHROMIUM} is not installed`);

// The page is served from localhost by a small static server: localhost is a secure context
// (WebCrypto is available, as on any HTTPS site), and it is another origin than the flag server.
let APP = '';
let appServer: Server | undefined;
let browser: Browser;
let bundle: string;
let esm: Map<string, string>;
const examples = fileURLToPath(new URL('../examples', import.meta.url));
const outDir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-browser-'));

beforeAll(async () => {
  if (!available) return;
  ({ global: bundle, esm } = await buildBrowser(outDir));
  appServer = createServer((req, res) => {
    if (req.url === '/vexil.global.js' || req.url === '/dist/browser/vexil.global.js') {
      res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(bundle);
    } else if (req.url?.startsWith('/examples/')) {
      // packages/sdk/examples, as `python3 -m http.server --directory packages/sdk` serves it.
      const file = path.join(examples, path.basename(req.url));
      const type = file.endsWith('.html') ? 'text/html' : 'application/json';
      res.writeHead(200, { 'Content-Type': type }).end(readFileSync(file));
    } else {
      res
        .writeHead(200, { 'Content-Type': 'text/html' })
        .end('<!doctype html><script src="/vexil.global.js"></script>');
    }
  });
  await new Promise<void>((resolve) => appServer!.listen(0, '127.0.0.1', resolve));
  APP = `http://localhost:${(appServer.address() as AddressInfo).port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => (appServer ? appServer.close(resolve) : resolve(undefined)));
  rmSync(outDir, { recursive: true, force: true });
});

/** A page that loads the IIFE bundle. */
async function openApp(context: Browser | BrowserContext = browser): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${APP}/`);
  return page;
}

describe.skipIf(!available)('browser build in Chromium', () => {
  it('contains no Node built-ins', () => {
    for (const [file, text] of esm) {
      const imports = [...text.matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]!);
      for (const specifier of imports) {
        expect(specifier, `${file} imports ${specifier}`).toMatch(
          /^(\.\/|@vexil\/core$|eventsource$|@openfeature\/web-sdk$)/,
        );
      }
    }
    expect(bundle).not.toMatch(/require\(["'](node:)?(fs|path|os|crypto)["']\)/);
  });

  it('evaluates flags from bootstrap data', async () => {
    const page = await openApp();
    const result = await page.evaluate(async (bootstrap) => {
      const { createClient } = (window as unknown as { Vexil: typeof import('../src/browser.js') }).Vexil;
      const client = createClient({ source: 'offline', bootstrap });
      await client.waitForReady();
      return {
        checkout: client.getBoolean('new-checkout', false, { targetingKey: 'user-beta' }),
        color: client.getString('button-color', 'red', { country: 'NL' }),
        details: client.getDetails('max-items', 0),
      };
    }, sampleFlags());
    expect(result).toMatchObject({ checkout: true, color: 'blue', details: { value: 50, variant: 'large' } });
    await page.close();
  });

  it('runs examples/browser.html as the README says', async () => {
    const page = await browser.newPage();
    await page.goto(`${APP}/examples/browser.html`);
    await page.waitForFunction(() => document.getElementById('out')?.textContent !== '');
    const out = JSON.parse((await page.textContent('#out')) ?? '{}');
    expect(out).toEqual({ 'new-checkout': true, 'button-color': 'blue' });
    await page.close();
  });

  it('verifies a signed bootstrap with WebCrypto Ed25519 in the page', async () => {
    const { makeSigner } = await import('./support/signing.js');
    const signer = makeSigner('k-browser');
    const signed = signer.sign(sampleFlags());
    const tampered = { ...signed, payload: signed.payload.replace('"large":50', '"large":51') };
    const page = await openApp();
    const result = await page.evaluate(
      async ({ signed, tampered, key }) => {
        const { createClient } = (window as unknown as { Vexil: typeof import('../src/browser.js') }).Vexil;
        const good = createClient({ source: 'offline', bootstrap: signed, signingKeys: [key] });
        await good.waitForReady();
        const bad = createClient({ source: 'offline', bootstrap: tampered, signingKeys: [key] });
        const refused = await bad.waitForReady().then(
          () => 'accepted',
          (e: { code: string }) => e.code,
        );
        return { value: good.getNumber('max-items', 0), refused };
      },
      { signed, tampered, key: signer.publicKey },
    );
    expect(result).toEqual({ value: 50, refused: 'SIGNATURE_INVALID' });
    await page.close();
  });

  it('streams from a server with a client key, and serves from localStorage when the server is gone', async () => {
    // Protocol fixture (cross-origin, with CORS); the real-server browser test is in real-server.test.ts.
    const server = await new ProtocolServer(sampleFlags(3) as Record<string, unknown>).start();
    server.keys.add('vx_client_browser');
    const context = await browser.newContext();
    try {
      const page = await openApp(context);
      const options = { url: server.url, sdkKey: 'vx_client_browser', events: false };
      const first = await page.evaluate(async (options) => {
        const { createClient } = (window as unknown as { Vexil: typeof import('../src/browser.js') }).Vexil;
        const client = createClient(options);
        (window as unknown as { client: unknown }).client = client;
        await client.waitForReady({ timeout: 5000 });
        return client.getString('button-color', 'red', { country: 'NL' });
      }, options);
      expect(first).toBe('blue');
      server.change({
        'button-color': {
          type: 'string',
          enabled: true,
          variants: { o: 'orange' },
          defaultServe: { variant: 'o' },
        },
      });
      await page.waitForFunction(() => {
        const client = (window as unknown as { client: { getString(k: string, d: string): string } }).client;
        return client.getString('button-color', 'red') === 'orange';
      });
      await server.stop();
      await page.reload();
      const cached = await page.evaluate(async (options) => {
        const { createClient } = (window as unknown as { Vexil: typeof import('../src/browser.js') }).Vexil;
        const client = createClient({ ...options, retry: { initialDelay: 50, maxDelay: 100 } });
        await client.waitForReady({ timeout: 5000 });
        return { color: client.getString('button-color', 'red'), status: client.status };
      }, options);
      expect(cached).toEqual({ color: 'orange', status: 'stale' });
    } finally {
      await context.close();
      await server.stop();
    }
  });

  it('evaluates flags from a client key against a real Vexil server, and follows a change', async () => {
    const dbDir = mkdtempSync(path.join(tmpdir(), 'vexil-sdk-browser-real-'));
    const server = await startRealServer({ dbDir });
    try {
      const { secret } = await server.admin<{ secret: string }>('POST', '/api/v1/keys', {
        kind: 'client',
        project: 'default',
        environment: 'production',
      });
      const flags = '/api/v1/projects/default/flags';
      await server.admin('POST', flags, {
        key: 'browser-banner',
        type: 'string',
        clientVisible: true,
        variants: { spring: 'spring', autumn: 'autumn' },
        environments: { production: { enabled: true, defaultServe: { variant: 'spring' } } },
      });
      await server.admin('POST', flags, {
        key: 'server-only',
        type: 'boolean',
        environments: { production: { enabled: true } },
      });
      const page = await openApp();
      const first = await page.evaluate(
        async ({ url, sdkKey }) => {
          const { createClient } = (window as unknown as { Vexil: typeof import('../src/browser.js') }).Vexil;
          const client = createClient({ url, sdkKey });
          (window as unknown as { client: unknown }).client = client;
          await client.waitForReady({ timeout: 10_000 });
          return {
            banner: client.getString('browser-banner', 'none', { targetingKey: 'visitor-1' }),
            hidden: client.getDetails('server-only', false).errorCode,
          };
        },
        { url: server.url, sdkKey: secret },
      );
      expect(first).toEqual({ banner: 'spring', hidden: 'FLAG_NOT_FOUND' });
      await server.admin('PATCH', `${flags}/browser-banner/environments/production`, {
        defaultServe: { variant: 'autumn' },
      });
      await page.waitForFunction(() => {
        const client = (window as unknown as { client: { getString(k: string, d: string): string } }).client;
        return client.getString('browser-banner', 'none') === 'autumn';
      });
      await page.close();
    } finally {
      await server.kill();
      rmSync(dbDir, { recursive: true, force: true });
    }
  });
});
