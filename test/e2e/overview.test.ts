// Issue 11 §5: "Overview opens on 'Last hour' and shows zeros on the demo world: open on a period that has data (or
// the one last chosen), keep the period in the URL, separate thousands, show every reason." A new operator, in
// headless Chromium, on a demo world whose traffic ended two hours ago.
import type { Browser, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { launchChromium } from './support/browser.ts';
import { seedDemoWorld, signInAs, type OperatorPage } from './support/operator.ts';

const hourMs = 3_600_000;
const thousands = new Intl.NumberFormat('en-US');

let service: TestService;
let browser: Browser;
let operator: OperatorPage;
let page: Page;

const period = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '').get('period');
/**
 * The page's figures for a period reaching back `days` days. The overview refreshes its figures every 15 s, so
 * a wait for any figures answer may catch a refresh of the period shown before.
 */
const figuresFor = (days: number) => (r: Response) => {
  const url = new URL(r.url());
  return url.pathname === '/v1/figures' && Math.round((Date.now() - Date.parse(url.searchParams.get('from') ?? '')) / (24 * hourMs)) === days;
};
const tile = (name: string) => page.locator('.tiles > div', { has: page.locator('dt', { hasText: name }) }).locator('dd');

beforeAll(async () => {
  service = await startTestService();
  await seedDemoWorld(service, { accounts: 600, days: 1, endsAgoMs: 2 * hourMs });
  browser = await launchChromium();
  operator = await signInAs(browser, service, 'olly', 'viewer');
  page = operator.page;
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('the overview', () => {
  it('opens on the shortest period holding the latest decision, named in the URL and the title', async () => {
    // Signing in landed on `/`: the last hour is empty, the last 24 hours are not.
    await page.waitForURL((url) => url.hash === '#/overview?period=day');
    expect(await page.getByLabel('Period').inputValue()).toBe('day');
    expect(await page.title()).toBe('Last 24 hours · Overview · dm-policy');
  });

  it('separates thousands and shows every reason, which add up to all the decisions', async () => {
    // Opened afresh from a blank page: a reload could catch the answer to the old page's refresh, gone with it.
    await page.goto('about:blank');
    const response = await Promise.all([page.waitForResponse(figuresFor(1)), page.goto(`${service.url}/#/overview?period=day`)]).then(([r]) => r);
    const figures = await response.json();
    expect(new URL(response.url()).searchParams.get('bucket')).toBe('hour');
    // The last 24 hours are 24 hourly bars, the current hour last — not 25.
    expect(figures.series).toHaveLength(24);
    expect(Date.parse(figures.to) - Date.parse(figures.from)).toBe(24 * hourMs);
    expect(figures.totals.all).toBeGreaterThan(1000);
    await page.getByRole('table', { name: 'Top reasons' }).locator('tbody tr').first().waitFor();
    expect(await tile('Decisions').textContent()).toBe(thousands.format(figures.totals.all));
    expect(await tile('allow').textContent()).toMatch(new RegExp(`^${thousands.format(figures.totals.allow)} \\d+%$`));

    const rows = page.getByRole('table', { name: 'Top reasons' }).locator('tbody tr');
    const shown = (await rows.locator('td:nth-child(3)').allTextContents()).map((n) => Number(n.replace(/,/g, '')));
    expect(shown).toEqual(figures.topReasons.map((r: { count: number }) => r.count));
    expect(shown.reduce((a, b) => a + b, 0)).toBe(figures.totals.all);
    expect(await rows.locator('td:first-child').allTextContents()).toEqual(figures.topReasons.map((r: { reason: string }) => r.reason));
  });

  it('keeps the period chosen in the URL, and opens on it the next time', async () => {
    const [week] = await Promise.all([page.waitForResponse(figuresFor(7)), page.getByLabel('Period').selectOption('week')]);
    await page.waitForURL((url) => url.hash === '#/overview?period=week');
    expect((await week.json()).series).toHaveLength(7 * 24);
    expect(await page.title()).toBe('Last 7 days · Overview · dm-policy');
    await page.goto(`${service.url}/#/simulator`);
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.waitForURL((url) => url.hash === '#/overview?period=week');
    expect(period()).toBe('week');
  });

  it('says when a period holds no decision, and offers the one holding the latest', async () => {
    await page.goto(`${service.url}/#/overview?period=hour`);
    const note = page.getByRole('status').filter({ hasText: 'No decisions in this period.' });
    await note.waitFor();
    expect(await tile('Decisions').textContent()).toBe('0');
    await note.getByRole('link', { name: 'show the last 24 hours' }).click();
    await page.waitForURL((url) => url.hash === '#/overview?period=day');
    await page.getByRole('table', { name: 'Top reasons' }).getByRole('link').first().waitFor();
  });

  it('says the figures shown are from an earlier load when a refresh fails, and drops the notice once one succeeds', async () => {
    const other = await signInAs(browser, service, 'orla', 'viewer');
    // The page's clock, to reach the 15 s refresh without waiting for it: installed in a new document.
    await other.page.clock.install();
    await other.page.goto(`${service.url}/#/overview?period=day`);
    await other.page.reload();
    await other.page.getByRole('table', { name: 'Top reasons' }).locator('tbody tr').first().waitFor();
    const stale = other.page.getByRole('status').filter({ hasText: /^These figures are from .+: the latest refresh failed/ });
    expect(await stale.count()).toBe(0);
    let failing = true;
    await other.page.route(/\/v1\/figures(\?.*)?$/, (route) => (failing
      ? route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'boom', path: null } }) })
      : route.fallback()));
    await other.page.clock.runFor(16_000);
    await stale.waitFor();
    // The figures stay, marked as such.
    expect(await other.page.getByRole('table', { name: 'Top reasons' }).locator('tbody tr').count()).toBeGreaterThan(0);
    failing = false;
    await other.page.clock.runFor(16_000);
    await stale.waitFor({ state: 'detached' });
    expect(other.pageErrors).toEqual([]);
    await other.page.context().close();
  });

  it('raised no error in the page', () => {
    expect(operator.pageErrors).toEqual([]);
  });
});
