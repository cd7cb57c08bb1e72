import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, SCREENSHOTS, signedInPage, toast } from '../support/browser.js';
import { type BrowserSuite, startBrowserSuite } from '../support/browser-suite.js';
import type { TestServer } from '../support/server.js';

// Subject weight tables against a real server, in Chromium: list, create, the distribution
// chart, editing (PATCH with If-Match), the server's validation at each subject, a 412, and
// a delete refused while a flag uses the table.
const available = chromiumAvailable('subject weights browser tests');
const P = '/api/v1/projects/default';
const W = `${P}/subject-weights`;

interface TableJson {
  version: number;
  description?: string;
  weights: Record<string, number>;
}

describe.skipIf(!available)('subject weights in a browser', () => {
  let suite: BrowserSuite;
  let server: TestServer;
  let page: Page;

  beforeAll(async () => {
    suite = await startBrowserSuite();
    server = suite.server;
    // The core README's example: acme holds half the seats.
    await server.api('PUT', `${W}/accounts`, {
      description: 'Seats per account',
      weights: { acme: 50, globex: 10, initech: 30, hooli: 10 },
    });
    await server.api('PUT', `${W}/tenants`, { weights: { t1: 1, t2: 2, t3: 3 } });
    page = await signedInPage(suite.browser, server);
  });

  afterAll(async () => {
    await suite?.close();
  });

  const openWeightsPage = () =>
    page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Subject weights' }).click();
  const subjectOrder = () =>
    page.locator('tr[data-subject]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-subject')));

  it('lists the tables with their subject count and total weight', async () => {
    await openWeightsPage();
    await page.getByRole('heading', { name: 'Subject weights' }).waitFor();
    const list = page.getByRole('table', { name: 'Weight tables' });
    const accounts = list.getByRole('row').filter({ hasText: 'accounts' });
    await accounts.waitFor();
    const cells = await accounts.locator('td').allTextContents();
    expect(cells.slice(0, 3)).toEqual(['accountsSeats per account', '4', '100']);
    expect(cells[3]).toMatch(/^(just now|\d+ minutes? ago) by /);
    expect(
      await list.getByRole('row').filter({ hasText: 'tenants' }).locator('td').nth(2).textContent(),
    ).toBe('6');
  });

  it('creates a table from pasted subject,weight lines', async () => {
    const form = page.getByRole('form', { name: 'New weight table' });
    await form.getByLabel('New table key').fill('regions');
    await form.getByLabel('Description').fill('Traffic per region');
    await form.getByLabel(/^Subjects/).fill('region,requests\neu,3\nus;5\napac\t2\n');
    await form.getByRole('button', { name: 'Create table' }).click();
    await page.getByRole('heading', { name: 'regions', level: 1 }).waitFor();
    await page.getByTestId('table-total').filter({ hasText: '10' }).waitFor();
    const table = await server.api<TableJson>('GET', `${W}/regions`);
    expect(table).toMatchObject({
      version: 1,
      description: 'Traffic per region',
      weights: { eu: 3, us: 5, apac: 2 },
    });
  });

  it('refuses to create a table over one that exists, at the key', async () => {
    await openWeightsPage();
    const form = page.getByRole('form', { name: 'New weight table' });
    await form.getByLabel('New table key').fill('accounts');
    await form.getByLabel(/^Subjects/).fill('acme,1');
    await form.getByRole('button', { name: 'Create table' }).click();
    await form.locator('.field-issues').filter({ hasText: 'a table of this name exists' }).waitFor();
    const table = await server.api<TableJson>('GET', `${W}/accounts`);
    expect(table.version).toBe(1);
    expect(table.weights.acme).toBe(50);
  });

  it('shows the server’s verdict on a bad table name at the key (params.table)', async () => {
    await openWeightsPage();
    const form = page.getByRole('form', { name: 'New weight table' });
    await form.getByLabel('New table key').fill('-no good');
    await form.getByLabel(/^Subjects/).fill('acme,1');
    await form.getByRole('button', { name: 'Create table' }).click();
    await form.locator('.field-issues').filter({ hasText: 'invalid key "-no good"' }).waitFor();
    expect(await form.locator('.error-box .issue-path').allTextContents()).toEqual(['key']);
  });

  it('shows a table’s subjects heaviest first with their shares, and charts the distribution', async () => {
    await page.getByRole('table', { name: 'Weight tables' }).getByRole('link', { name: 'accounts' }).click();
    await page.getByRole('heading', { name: 'accounts', level: 1 }).waitFor();
    await page.locator('tr[data-subject]').first().waitFor();
    expect(await subjectOrder()).toEqual(['acme', 'initech', 'globex', 'hooli']);
    expect(await page.locator('tr[data-subject="acme"] td').nth(3).textContent()).toBe('50%');

    const chart = page.getByTestId('weights-chart');
    await chart.locator('.recharts-bar-rectangle').first().waitFor();
    expect(await chart.locator('.recharts-bar-rectangle').count()).toBe(4);
    await chart.locator('.recharts-line-curve').waitFor({ state: 'attached' });
    expect(await chart.getByRole('img').getAttribute('aria-label')).toBe(
      'Share of the weight, heaviest first: acme 50%, initech 30%, globex 10%, hooli 10%',
    );
    expect(await page.getByTestId('half-weight').textContent()).toMatch(/heaviest 1 subject of 4/);
    // acme spans half the line: a 10 % rollout reaches its middle never, one of the small ones at most.
    expect(await page.getByTestId('weighted-reach').textContent()).toMatch(/between 0 and 1 subject of 4/);
    await page.getByLabel('Rollout percentage').fill('60');
    await page.getByTestId('weighted-reach').filter({ hasText: 'between 1 and 3 subjects' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'subject-weights.png'), fullPage: true });
  });

  it('edits subjects — adds, changes, removes, pastes many — and saves them in one change', async () => {
    const form = page.getByRole('form', { name: 'Subjects' });
    await form.getByLabel('Weight of initech').fill('40');
    await form.getByRole('button', { name: 'Remove hooli' }).click();
    await form.getByLabel('New subject', { exact: true }).fill('umbrella');
    await form.getByLabel('Weight of the new subject').fill('5');
    await form.getByRole('button', { name: 'Add subject' }).click();
    await form.getByRole('button', { name: 'Paste many…' }).click();
    // A header line, a subject whose path the server quotes (it starts with a digit), a semicolon.
    await form.getByLabel('Subjects to paste').fill('account,seats\n7-eleven,7\nglobex;12\n');
    await form.getByRole('button', { name: 'Add or update these' }).click();
    await page.getByTestId('pending').filter({ hasText: '2 added, 2 changed, 1 removed' }).waitFor();
    expect(await subjectOrder()).toEqual(['7-eleven', 'umbrella', 'acme', 'initech', 'globex', 'hooli']);
    await form.getByRole('button', { name: 'Save changes' }).click();
    await toast(page, 'Table accounts saved (2 added, 2 changed, 1 removed)').waitFor();
    const table = await server.api<TableJson>('GET', `${W}/accounts`);
    expect(table.version).toBe(2);
    expect(table.weights).toEqual({ acme: 50, initech: 40, globex: 12, umbrella: 5, '7-eleven': 7 });
    await page.getByTestId('table-total').filter({ hasText: '114' }).waitFor();
    expect(await subjectOrder()).toEqual(['acme', 'initech', 'globex', '7-eleven', 'umbrella']);
  });

  it('shows the server’s validation error at each subject’s weight, and saves nothing', async () => {
    const form = page.getByRole('form', { name: 'Subjects' });
    await form.getByLabel('Weight of acme').fill('2.5');
    await form.getByLabel('Weight of 7-eleven').fill('0');
    await form.getByRole('button', { name: 'Save changes' }).click();
    const message = 'a subject weight must be a whole number ≥ 1';
    await page.locator('tr[data-subject="acme"] .field-issues').filter({ hasText: message }).waitFor();
    await page.locator('tr[data-subject="7-eleven"] .field-issues').filter({ hasText: message }).waitFor();
    const box = form.locator('.error-box');
    await box.locator('.issue-path').filter({ hasText: 'weights.acme' }).waitFor();
    await box.locator('.issue-path').filter({ hasText: 'weights["7-eleven"]' }).waitFor();
    expect((await server.api<TableJson>('GET', `${W}/accounts`)).version).toBe(2);
    await page.screenshot({ path: join(SCREENSHOTS, 'subject-weights-invalid.png'), fullPage: true });

    await form.getByRole('button', { name: 'Discard changes' }).click();
    expect(await form.getByLabel('Weight of acme').inputValue()).toBe('50');
    expect(await form.locator('.field-issues').count()).toBe(0);
  });

  it('reloads on a 412 and keeps the person’s changes on top of the new version', async () => {
    const form = page.getByRole('form', { name: 'Subjects' });
    await form.getByLabel('Weight of initech').fill('41');
    await server.api('PATCH', `${W}/accounts`, { weights: { acme: 55 } }, { 'if-match': '"2"' });
    await form.getByRole('button', { name: 'Save changes' }).click();
    await toast(page, /Someone else changed accounts/).waitFor();
    await page.getByTestId('pending').filter({ hasText: '1 changed · version 3' }).waitFor();
    expect(await form.getByLabel('Weight of acme').inputValue()).toBe('55');
    expect(await form.getByLabel('Weight of initech').inputValue()).toBe('41');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await toast(page, 'Table accounts saved (1 changed)').waitFor();
    const table = await server.api<TableJson>('GET', `${W}/accounts`);
    expect(table.version).toBe(4);
    expect(table.weights).toMatchObject({ acme: 55, initech: 41 });
  });

  it('links a weighted rollout to its table, and refuses to delete a table in use, naming the flag', async () => {
    await server.api('POST', `${P}/flags`, {
      key: 'billing',
      type: 'boolean',
      defaultServe: {
        rollout: { variants: { on: 10_000, off: 90_000 }, bucketBy: 'accountId', weightedBy: 'accounts' },
      },
    });
    await page.goto(`${server.url}/projects/default/flags/billing`);
    await page.getByText('balanced by the weights of table').first().waitFor();
    await page.getByRole('link', { name: 'accounts' }).first().click();
    await page.getByRole('heading', { name: 'accounts', level: 1 }).waitFor();

    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByRole('group', { name: 'Delete this weight table?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    const refused = page.getByTestId('in-use');
    await refused.filter({ hasText: 'is still used by flag "billing"' }).waitFor();
    expect((await server.api<TableJson>('GET', `${W}/accounts`)).version).toBe(4);
    await page.screenshot({ path: join(SCREENSHOTS, 'subject-weights-in-use.png'), fullPage: true });
    await refused.getByRole('link', { name: 'billing' }).click();
    await page
      .getByRole('heading', { name: /billing/ })
      .first()
      .waitFor();

    await server.api('DELETE', `${P}/flags/billing`);
    await page.goto(`${server.url}/projects/default/subject-weights/accounts`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await page
      .getByRole('group', { name: 'Delete this weight table?' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await toast(page, 'Table accounts deleted').waitFor();
    await page.getByRole('heading', { name: 'Subject weights' }).waitFor();
    await page.getByRole('table', { name: 'Weight tables' }).getByRole('link', { name: 'regions' }).waitFor();
    expect(
      await page
        .getByRole('table', { name: 'Weight tables' })
        .getByRole('link', { name: 'accounts' })
        .count(),
    ).toBe(0);
    const gone = await fetch(`${server.url}${W}/accounts`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(gone.status).toBe(404);
  });
});
