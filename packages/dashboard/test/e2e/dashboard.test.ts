import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS, toast as toastOn } from '../support/browser.js';
import { type BrowserSuite, startBrowserSuite } from '../support/browser-suite.js';
import type { TestServer } from '../support/server.js';

// The built dashboard, served by a real `vexil serve` (in-process, temp SQLite, port 0),
// driven in Debian's Chromium. No timing assertions: every wait is for something visible.
const available = chromiumAvailable('dashboard browser tests');

const FLAG = 'e2e-checkout';
const F = `/api/v1/projects/default/flags/${FLAG}`;

interface FlagJson {
  version: number;
  environments?: Record<
    string,
    { enabled?: boolean; defaultServe?: { rollout?: { variants: Record<string, number> } } }
  >;
}

describe.skipIf(!available)('the dashboard in a browser', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let page: Page;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    server = suite.server;
    page = await suite.browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.setDefaultTimeout(30_000);
  });

  afterAll(async () => {
    await suite?.close();
  });

  const toast = (text: string | RegExp) => toastOn(page, text);

  it('refuses a wrong key with the API’s message, then signs in with the admin key', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin key').fill('vx_admin_not-a-real-key-at-all');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(
      page.getByRole('alert').filter({ hasText: 'unknown, revoked or expired' }).waitFor(),
    ).resolves.toBeUndefined();

    await page.getByLabel('Admin key').fill(server.token);
    await page.getByLabel('Your name (optional)').fill('e2e@example.com');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Flags' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/projects/default/flags');
  });

  it('keeps the session across a reload (sessionStorage) on a client-side route', async () => {
    await page.reload();
    await page.getByRole('heading', { name: 'Flags' }).waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('vexil.token'))).toBe(server.token);
  });

  it('creates a flag', async () => {
    await page.getByRole('button', { name: 'New flag' }).click();
    await page.getByLabel('Key', { exact: true }).fill(FLAG);
    await page.getByLabel('Description', { exact: true }).fill('Checkout made in the browser test');
    await page.getByLabel('Tags (comma-separated)').fill('checkout, e2e');
    await page.getByRole('button', { name: 'Create flag' }).click();
    await page.getByRole('heading', { name: new RegExp(FLAG) }).waitFor();
    const flag = await server.api<FlagJson & { tags: string[] }>('GET', F);
    expect(flag.tags).toEqual(['checkout', 'e2e']);
  });

  it('turns the flag on in production, as the API then says, with the person in the audit log', async () => {
    await page.getByRole('switch', { name: `${FLAG} enabled in production` }).click();
    await toast(`${FLAG} is on in production`).waitFor();
    expect(
      await page.getByRole('switch', { name: `${FLAG} enabled in production` }).getAttribute('aria-checked'),
    ).toBe('true');
    const flag = await server.api<FlagJson>('GET', F);
    expect(flag.environments?.production?.enabled).toBe(true);
    const audit = await server.api<{ items: { actor: string; action: string }[] }>(
      'GET',
      `/api/v1/audit?resourceKey=${FLAG}&action=flag.enable`,
    );
    expect(audit.items[0]?.actor).toMatch(/^e2e@example\.com via /);
  });

  it('sets a 25 % rollout and shows its split in a chart, then ramps it with "now" on a timeline', async () => {
    await page.getByRole('button', { name: 'Change default' }).click();
    await page.getByLabel('A percentage rollout').check();
    await page.getByLabel('Percent for on').fill('25');
    expect(await page.getByLabel('Percent for off').inputValue()).toBe('75');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await toast('Rollout saved').waitFor();
    const chart = page
      .getByTestId('rollout-chart')
      .filter({ has: page.getByRole('img', { name: /off 75%, on 25%/ }) });
    await chart.first().waitFor();
    await chart.first().locator('.recharts-bar-rectangle').first().waitFor();
    const flag = await server.api<FlagJson>('GET', F);
    expect(flag.environments?.production?.defaultServe?.rollout?.variants).toEqual({
      on: 25_000,
      off: 75_000,
    });

    await page.getByRole('button', { name: 'Ramp it' }).click();
    await page.getByRole('form', { name: 'Ramp' }).getByLabel('Percent for on').fill('100');
    await page.getByRole('button', { name: 'Save ramp' }).click();
    await toast('Ramp saved').waitFor();
    const timeline = page.getByTestId('timeline-chart');
    await timeline.getByText('(the line marks now)').waitFor();
    await timeline.locator('.recharts-reference-line-line').waitFor({ state: 'attached' });
    await timeline.getByText('now', { exact: true }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'flag-rollout.png'), fullPage: true });
  });

  it('adds a rule with a condition and shows a server error at its field', async () => {
    await page.getByRole('button', { name: 'Add rule' }).click();
    const form = page.getByRole('form', { name: 'Add rule' });
    await form.getByLabel('Condition 1 attribute').fill('email');
    await form.getByLabel('Condition 1 operator').selectOption('matches');
    await form.getByLabel('Condition 1 values').fill('((');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await form.locator('.field-issues').filter({ hasText: 'invalid pattern' }).waitFor();
    await form.getByLabel('Condition 1 values').fill('@example\\.com$');
    await form.getByRole('button', { name: 'Add rule' }).click();
    await toast('Rule added').waitFor();
    await page
      .getByRole('listitem', { name: /Rule 1/ })
      .getByText('email matches "@example\\\\.com$"')
      .waitFor();
  });

  it('edits the flag as JSON: a bad operator is shown at its path and line, a good edit is saved', async () => {
    await page.getByRole('link', { name: 'Edit as JSON' }).click();
    const editor = page.getByLabel('Flag definition (the core flag format)');
    const current = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    const bad = {
      ...current,
      rules: [{ conditions: [{ attribute: 'country', op: 'equal', value: 'US' }], serve: { variant: 'on' } }],
    };
    await editor.fill(JSON.stringify(bad, null, 2));
    await page.getByRole('button', { name: 'Save JSON' }).click();
    const issue = page.locator('.json-issues li').filter({ hasText: 'rules[0].conditions[0].op' });
    await issue.waitFor();
    expect(await issue.textContent()).toMatch(/line \d+.*unknown operator "equal"/);
    await page.locator('.gutter-line.error-line').first().waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'json-error.png'), fullPage: true });

    await editor.fill(JSON.stringify({ ...current, owner: 'team-e2e' }, null, 2));
    await page.getByRole('button', { name: 'Save JSON' }).click();
    await toast('Flag saved').waitFor();
    expect((await server.api<{ owner: string }>('GET', F)).owner).toBe('team-e2e');
  });

  it('shows the history with a diff and rolls back to the first version in one click', async () => {
    const before = await server.api<FlagJson>('GET', F);
    await page.getByRole('link', { name: 'History' }).click();
    await page.getByRole('row').filter({ hasText: 'v1' }).waitFor();
    await page.getByRole('button', { name: 'Show the changes of version 2' }).click();
    await page
      .getByRole('figure', { name: 'Changes from version 1 to version 2' })
      .locator('.diff-add')
      .first()
      .waitFor();
    await page.getByRole('button', { name: 'Roll back to version 1' }).click();
    await page.getByRole('button', { name: 'Roll back', exact: true }).click();
    await toast('Rolled back to version 1').waitFor();
    const after = await server.api<FlagJson & { owner?: string }>('GET', F);
    expect(after.version).toBe(before.version + 1);
    expect(after.environments?.production?.enabled).toBeUndefined();
    expect(after.owner).toBeUndefined();
  });

  it('tells the person when someone else changed the flag (412) and reloads it', async () => {
    await page.getByRole('link', { name: 'Targeting' }).click();
    const toggle = page.getByRole('switch', { name: `${FLAG} enabled in production` });
    await toggle.waitFor();
    const flag = await server.api<FlagJson>('GET', F);
    await server.api(
      'PATCH',
      F,
      { description: 'changed behind the dashboard’s back' },
      { 'if-match': `"${flag.version}"` },
    );
    await toggle.click();
    await toast(/Someone else changed/).waitFor();
    await page.getByText('changed behind the dashboard’s back').first().waitFor();
    expect((await server.api<FlagJson>('GET', F)).environments?.production?.enabled).toBeUndefined();
  });

  it('previews a context with @vexil/core in the browser, rule by rule', async () => {
    await server.api('POST', `${F}/environments/production/enable`);
    await server.api('PUT', `${F}/environments/production/rules`.replace('/rules', ''), {
      enabled: true,
      rules: [
        {
          id: 'us',
          conditions: [{ attribute: 'country', op: 'in', values: ['US', 'CA'] }],
          serve: { variant: 'on' },
        },
      ],
      defaultServe: { variant: 'off' },
    });
    await page.getByRole('link', { name: 'Try it (preview)' }).click();
    await page.getByLabel('Context (JSON)').fill('{"targetingKey": "user-1", "country": "CA"}');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    const row = page.locator(`tr[data-flag="${FLAG}"]`);
    await row.getByText('TARGETING_MATCH').waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('true');
    await row.getByRole('button', { name: `Why ${FLAG} gives this` }).click();
    await page
      .getByRole('list', { name: 'Evaluation steps' })
      .getByRole('cell', { name: '"CA"', exact: true })
      .waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'preview.png'), fullPage: true });

    await page.getByLabel('Context (JSON)').fill('{"targetingKey": "user-1", "country": "FR"}');
    await page.getByRole('button', { name: 'Evaluate' }).click();
    await row.getByText('DEFAULT').waitFor();
    expect(await row.locator('td').nth(1).textContent()).toBe('false');
  });

  it('signs out, forgetting the key', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin key').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('vexil.token'))).toBeNull();
  });
});
