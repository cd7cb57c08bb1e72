import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import type { TestServer } from './server.js';

/** Where the browser tests leave screenshots for people to look at (the tests don't compare them). */
export const SCREENSHOTS = join(tmpdir(), 'vexil-dashboard-screenshots');

/** Debian's Chromium, driven by playwright-core (nothing is downloaded). */
export const CHROMIUM = '/usr/bin/chromium';

/** Whether browser tests can run; under CI=true a missing Chromium is an error, not a skip. */
export function chromiumAvailable(suite: string): boolean {
  const available = existsSync(CHROMIUM);
  if (!available && process.env.CI === 'true')
    throw new Error(`Chromium is required under CI=true (${CHROMIUM})`);
  if (!available) console.warn(`skipping ${suite}: ${CHROMIUM} is not installed`);
  return available;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
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
}

/** A page of the dashboard, signed in with the server's admin key. */
export async function signedInPage(browser: Browser, server: TestServer): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(30_000);
  await page.goto(`${server.url}/`);
  await page.getByLabel('Admin key').fill(server.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Flags' }).waitFor();
  return page;
}

/** A toast with this text (success, error or info). */
export function toast(page: Page, text: string | RegExp) {
  return page.locator('.toast').filter({ hasText: text }).first();
}
