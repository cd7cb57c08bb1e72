import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS, signedInPage, toast } from '../support/browser.js';
import { type BrowserSuite, startBrowserSuite } from '../support/browser-suite.js';
import { sendExperimentEvents } from '../support/demo-data.js';
import type { TestServer } from '../support/server.js';

// Experiments, segments, API keys and the audit log against a real server, in Chromium.
const available = chromiumAvailable('dashboard page tests');
const P = '/api/v1/projects/default';

describe.skipIf(!available)('dashboard pages in a browser', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let page: Page;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    server = suite.server;
    page = await signedInPage(suite.browser, server);
  });

  afterAll(async () => {
    await suite?.close();
  });

  it('searches, filters by tag, pages through flags and shows archived ones', async () => {
    for (let i = 1; i <= 30; i++) {
      const key = `list-${String(i).padStart(2, '0')}`;
      await server.api('POST', `${P}/flags`, {
        key,
        type: 'boolean',
        tags: i % 3 === 0 ? ['mobile'] : ['web'],
      });
    }
    await server.api('POST', `${P}/flags/list-30/archive`);
    await page.goto(`${server.url}/projects/default/flags`);
    await page.getByText('1–25 of 29').waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('26–29 of 29').waitFor();
    await page.getByRole('link', { name: 'list-29' }).waitFor();

    await page.getByLabel('Search').fill('list-1');
    await page.getByText('1–10 of 10').waitFor();
    await page.getByLabel('Search').fill('');
    await page.getByLabel('Tag').fill('mobile');
    await page.getByText('1–9 of 9').waitFor();
    expect(await page.getByRole('link', { name: /^list-/ }).count()).toBe(9);

    await page.getByLabel('Tag').fill('');
    await page.getByLabel('Show').selectOption('archived');
    await page.getByText('1–1 of 1').waitFor();
    await page.getByRole('link', { name: 'list-30' }).click();
    await page.getByRole('button', { name: 'Restore' }).click();
    await toast(page, 'list-30 restored').waitFor();
    expect((await server.api<{ archived: boolean }>('GET', `${P}/flags/list-30`)).archived).toBe(false);
  });

  it('charts experiment results with 95 % intervals and warns of a sample ratio mismatch', async () => {
    await server.api('POST', `${P}/flags`, {
      key: 'banner',
      type: 'string',
      variants: { control: 'old', treatment: 'new' },
      offVariant: 'control',
      defaultServe: { variant: 'control' },
    });
    // Set up through the flag page's form: open-ended, 50/50, judged by sign-ups.
    await page.goto(`${server.url}/projects/default/flags/banner`);
    await page.getByRole('button', { name: 'Set up an experiment' }).click();
    const form = page.getByRole('form', { name: 'Experiment' });
    await form.getByLabel('Experiment key').fill('banner-test');
    await form.getByLabel('Metric 1 event').fill('signup');
    await form.getByRole('button', { name: 'Save experiment' }).click();
    await toast(page, 'Experiment saved').waitFor();
    const saved = await server.api<{ environments: { production: { experiment: unknown } } }>(
      'GET',
      `${P}/flags/banner`,
    );
    expect(saved.environments.production.experiment).toEqual({
      key: 'banner-test',
      allocation: 100_000,
      variants: { control: 50_000, treatment: 50_000 },
      metrics: [{ event: 'signup', kind: 'conversion' }],
    });
    // 700 against 300 where the weights say 50/50: a broken split.
    await sendExperimentEvents(server, {
      flag: 'banner',
      experiment: 'banner-test',
      subjects: { control: 700, treatment: 300 },
      conversions: { control: 70, treatment: 45 },
      event: 'signup',
    });
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'banner-test' }).click();
    await page.getByTestId('srm-warning').waitFor();
    const chart = page.getByTestId('experiment-chart');
    await chart.locator('.recharts-errorBar').first().waitFor({ state: 'attached' });
    expect(await chart.locator('.recharts-errorBar').count()).toBe(2);
    const label = await chart.getByRole('img').getAttribute('aria-label');
    expect(label).toMatch(/^control 10\.00% \(95% [\d.]+–[\d.]+\); treatment 15\.00%/);
    await page.getByTestId('exposures-chart').waitFor();
    await page.getByRole('cell', { name: '700' }).first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'experiment.png'), fullPage: true });
  });

  it('creates a segment and edits its keys and conditions', async () => {
    await page.getByRole('link', { name: 'Segments' }).click();
    await page.getByLabel('New segment key').fill('staff');
    await page.getByRole('button', { name: 'Create segment' }).click();
    await page.getByRole('heading', { name: 'staff' }).waitFor();
    await page.getByLabel('Add to included keys').fill('alice, bob');
    await page.getByLabel('Add to included keys').press('Enter');
    await page.getByRole('button', { name: 'Add condition' }).click();
    await page.getByLabel('Condition 1 attribute').fill('email');
    await page.getByLabel('Condition 1 operator').selectOption('endsWith');
    await page.getByLabel('Condition 1 values').fill('@vexil.dev');
    await page.getByRole('button', { name: 'Save segment' }).click();
    await toast(page, 'Segment staff saved').waitFor();
    const segment = await server.api<{ included: string[]; conditions: unknown[] }>(
      'GET',
      `${P}/segments/staff`,
    );
    expect(segment.included).toEqual(['alice', 'bob']);
    expect(segment.conditions).toEqual([{ attribute: 'email', op: 'endsWith', value: '@vexil.dev' }]);
  });

  it('creates an API key whose secret is shown once, rotates it and revokes the successor', async () => {
    await page.getByRole('link', { name: 'API keys' }).click();
    const form = page.getByRole('form', { name: 'New key' });
    await form.getByLabel('Name', { exact: true }).fill('checkout-service');
    await form.getByLabel('Environment', { exact: true }).fill('production');
    await form.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-secret').textContent()) ?? '';
    expect(secret).toMatch(/^vx_server_/);
    const self = await fetch(`${server.url}/api/v1/keys/self`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(self.status).toBe(200);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('new-secret').count()).toBe(0);

    await page.getByLabel('Rotation grace period (seconds)').fill('0');
    const row = page.getByRole('row').filter({ hasText: 'checkout-service' });
    await row.getByRole('button', { name: 'Rotate' }).click();
    await row.getByRole('button', { name: 'Rotate', exact: true }).click();
    const rotated = (await page.getByTestId('new-secret').textContent()) ?? '';
    expect(rotated).toMatch(/^vx_server_/);
    expect(rotated).not.toBe(secret);
    const old = await fetch(`${server.url}/api/v1/keys/self`, {
      headers: { authorization: `Bearer ${secret}` },
    });
    expect(old.status).toBe(401);
    await page.getByRole('button', { name: 'I have stored it' }).click();

    const successor = page.getByRole('row').filter({ hasText: 'checkout-service' }).last();
    await successor.getByRole('button', { name: 'Revoke' }).click();
    await successor.getByRole('button', { name: 'Revoke', exact: true }).click();
    await toast(page, /revoked/).waitFor();
    const after = await fetch(`${server.url}/api/v1/keys/self`, {
      headers: { authorization: `Bearer ${rotated}` },
    });
    expect(after.status).toBe(401);
  });

  it('signs out with a clear message when the key stops working', async () => {
    const { secret, key } = await server.api<{ secret: string; key: { id: string } }>(
      'POST',
      '/api/v1/keys',
      {
        kind: 'admin',
        name: 'short-lived',
      },
    );
    const other = await suite.browser.newPage();
    other.setDefaultTimeout(30_000);
    await other.goto(`${server.url}/`);
    await other.getByLabel('Admin key').fill(secret);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { name: 'Flags' }).waitFor();
    await server.api('DELETE', `/api/v1/keys/${key.id}`);
    await other.getByRole('link', { name: 'Segments' }).click();
    await other.getByText('Your key stopped working').waitFor();
    await other.getByLabel('Admin key').waitFor();
    await other.close();
  });

  it('filters the audit log and shows an entry’s changes', async () => {
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('form', { name: 'Filters' }).getByLabel('Key', { exact: true }).fill('staff');
    const row = page.getByRole('row').filter({ hasText: 'segment.update' }).first();
    await row.waitFor();
    expect(await page.getByRole('row').filter({ hasText: 'flag.create' }).count()).toBe(0);
    await row.getByRole('button', { name: 'Changes' }).click();
    await page.locator('.diff-add').filter({ hasText: '@vexil.dev' }).waitFor();
  });
});
