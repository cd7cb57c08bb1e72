import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { ensureBuilt } from '../../scripts/build.mjs';
import { launchChromium, SCREENSHOTS } from './browser.js';
import { startTestServer, type TestServer } from './server.js';

/** What a browser suite runs against: a real server and Chromium. */
export interface BrowserSuite {
  readonly server: TestServer;
  readonly browser: Browser;
  /** Closes the browser, then the server. */
  close(): Promise<void>;
}

/**
 * The setup every browser suite shares: the dashboard built (if stale), the screenshots folder,
 * a test server and Chromium. Call in `beforeAll`, and `close()` in `afterAll`.
 */
export async function startBrowserSuite(): Promise<BrowserSuite> {
  await ensureBuilt({ quiet: true });
  mkdirSync(SCREENSHOTS, { recursive: true });
  const server = await startTestServer();
  let browser: Browser;
  try {
    browser = await launchChromium();
  } catch (error) {
    await server.close();
    throw error;
  }
  return {
    server,
    browser,
    async close() {
      try {
        await browser.close();
      } finally {
        await server.close();
      }
    },
  };
}
