// Issue 11 §3: "Give the decision log a search with filters (account as sender or recipient, outcome, reason, rule,
// version, arm, time), recent decisions by default, Explain in view with its own URL, and links into it from Overview's
// top reasons and from reports' 'senders most affected'"; "an unknown account shows '0 / 500' as if it existed".
// An operator on a small demo world, in headless Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest } from '../lifecycle/backtests.helpers.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { launchChromium } from './support/browser.ts';
import { seedDemoWorld, shownDecisionIds, signInAs, viewport, type OperatorPage } from './support/operator.ts';

const hourMs = 3_600_000;

let service: TestService;
let browser: Browser;
let operator: OperatorPage;
let page: Page;

/** The ids the API gives for a search, newest first. */
async function apiIds(query: Record<string, string>): Promise<string[]> {
  const res = await service.call('GET', `/v1/decisions?${new URLSearchParams({ limit: '50', ...query })}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.items.map((d: { id: string }) => d.id);
}

const hashParams = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');
const decisions = () => page.getByRole('table', { name: 'Decisions' });

beforeAll(async () => {
  service = await startTestService();
  // One day of traffic by 300 accounts, ended an hour ago.
  await seedDemoWorld(service, { accounts: 300, days: 1, endsAgoMs: hourMs });
  browser = await launchChromium();
  operator = await signInAs(browser, service, 'ines', 'viewer');
  page = operator.page;
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('investigations', () => {
  it('open on the most recent decisions, newest first, and load more on demand', async () => {
    await page.getByRole('link', { name: 'Investigations' }).click();
    await decisions().getByRole('link', { name: 'Explain' }).first().waitFor();
    expect(await shownDecisionIds(page)).toEqual(await apiIds({}));
    expect(await page.title()).toBe('Recent decisions · Investigations · dm-policy');

    await page.getByRole('button', { name: 'Load more' }).click();
    await decisions().getByRole('link', { name: 'Explain' }).nth(50).waitFor();
    const all = await service.call('GET', '/v1/decisions?limit=100');
    expect(await shownDecisionIds(page)).toEqual(all.body.items.map((d: { id: string }) => d.id));
  });

  it('search by account as sender and by outcome, the filters kept in the URL', async () => {
    // Nothing is recorded from here on: once the indexer has caught up, the page and the API agree on how far it reached.
    await service.service.store.indexer.caughtUp();
    const [denial] = (await service.call('GET', '/v1/decisions?decision=deny&limit=1')).body.items;
    const sender: string = denial.sender;
    await page.getByLabel('Account', { exact: true }).fill(sender);
    await page.getByLabel('As', { exact: true }).selectOption('sender');
    await page.getByLabel('Outcome').selectOption('deny');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.hash.includes('decision=deny'));

    expect(Object.fromEntries(hashParams())).toEqual({ account: sender, as: 'sender', decision: 'deny' });
    await page.getByRole('region', { name: `Account ${sender}` }).waitFor();
    await expect.poll(() => shownDecisionIds(page)).toEqual(await apiIds({ sender, decision: 'deny' }));
    // A search by account reads the log by account: the page says how far it is built.
    const { index } = (await service.call('GET', `/v1/decisions?sender=${sender}&limit=1`)).body;
    const note = (await page.getByRole('note').textContent())!.replace(/\s+/g, ' ').trim();
    expect(index.pending).toBe(0);
    expect(note).toBe(`Every decision is included: the account index is up to date (record ${index.indexedThrough.toLocaleString('en-US')}).`);
    const rows = await decisions().locator('tbody tr').allTextContents();
    for (const row of rows) expect(row).toMatch(new RegExp(`^.*${sender}.*deny`, 's'));
  });

  it('search by reason, rule, kind, channel, version and period', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    const latest = Date.parse((await service.call('GET', '/v1/decisions?limit=1')).body.items[0].at);
    // Six whole hours before the latest decision, written as the operator's (UTC) clock shows them.
    const to = new Date(Math.floor(latest / hourMs) * hourMs);
    const from = new Date(to.getTime() - 6 * hourMs);
    const local = (d: Date) => d.toISOString().slice(0, 16);
    await page.getByLabel('Reason').fill('message_request');
    await page.getByLabel('Rule').fill('inbox-setting');
    await page.getByLabel('Kind').selectOption('direct');
    await page.getByLabel('Channel').selectOption('web');
    await page.getByLabel('Version').selectOption('x-2023');
    await page.getByLabel('From').fill(local(from));
    await page.getByLabel('To').fill(local(to));
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL((url) => url.hash.includes('rule=inbox-setting'));

    const expected = await apiIds({
      reason: 'message_request', rule: 'inbox-setting', kind: 'direct', channel: 'web', version: 'x-2023', from: from.toISOString(), to: to.toISOString(),
    });
    expect(expected.length).toBeGreaterThan(1);
    await expect.poll(() => shownDecisionIds(page)).toEqual(expected);
    expect(hashParams().get('from')).toBe(from.toISOString());
  });

  it('explain a decision at its own URL, at the top of the window, and lead back to the search', async () => {
    const search = new URL(page.url()).hash;
    const [first] = await shownDecisionIds(page);
    await page.mouse.wheel(0, 2000);
    await decisions().getByRole('link', { name: 'Explain' }).first().click();

    await page.waitForURL((url) => url.hash.startsWith(`#/investigations/${first}?`));
    const explanation = page.getByRole('region', { name: 'Explanation' });
    await explanation.getByText('re-explained the same').waitFor();
    const box = (await explanation.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y).toBeLessThan(viewport.height / 2);
    expect(await page.title()).toBe(`Decision ${first.slice(0, 8)}… · Investigations · dm-policy`);
    expect(await explanation.locator('li[aria-current="true"]').textContent()).toMatch(/^\s*inbox-setting\b.*deciding rule/s);
    // The rules read in the order a decision weighs them: priority, highest first (the API lists them as the document does).
    const priorities = (await explanation.locator('.trace li summary').allTextContents()).map((t) => Number(/priority (\d+)/.exec(t)![1]));
    expect(priorities.length).toBeGreaterThan(5);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));

    // The URL alone brings it back.
    await page.reload();
    await explanation.getByText('re-explained the same').waitFor();

    await page.getByRole('link', { name: '← Back to the decisions' }).click();
    await page.waitForURL((url) => url.hash === search);
    expect(await page.getByLabel('Rule').inputValue()).toBe('inbox-setting');
  });

  it('say an account the service never saw was never seen, without counters that would make it look real', async () => {
    await page.getByRole('button', { name: 'Clear' }).click();
    await page.getByLabel('Account', { exact: true }).fill('nobody-ever');
    await page.getByRole('button', { name: 'Search' }).click();
    const account = page.getByRole('region', { name: 'Account nobody-ever' });
    await account.getByText('The service never saw nobody-ever').waitFor();
    expect(await account.getByText('/ 500').count()).toBe(0);
    expect(await decisions().count()).toBe(0);
  });

  it("open from the overview's reasons, on that reason's decisions of the period shown", async () => {
    await page.goto(`${service.url}/#/overview?period=day`);
    const reasons = page.getByRole('table', { name: 'Top reasons' });
    await reasons.getByRole('link', { name: 'blocked', exact: true }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/investigations?'));

    const q = Object.fromEntries(hashParams());
    const figures = (await service.call('GET', `/v1/figures?${new URLSearchParams({ bucket: 'hour', from: q.from, to: q.to })}`)).body;
    expect(q).toEqual({ decision: 'deny', reason: 'blocked', from: figures.from, to: figures.to });
    await expect.poll(() => shownDecisionIds(page)).toEqual(await apiIds({ decision: 'deny', reason: 'blocked', from: q.from, to: q.to }));
  });

  it("open from a backtest report's senders most affected, on that sender's decisions of the period replayed", async () => {
    const draft = await service.call('POST', '/v1/policies/dm/versions', { body: { from: 'x-2023', version: 'cap-5' } });
    expect(draft.status).toBe(201);
    expect((await service.call('PATCH', '/v1/policies/dm/versions/cap-5', { body: { parameters: { dailyLimit: 5 } } })).status).toBe(200);
    const latest = (await service.call('GET', '/v1/decisions?limit=1')).body.items[0].at;
    const window = { from: new Date(Date.parse(latest) - 2 * 24 * hourMs).toISOString(), to: new Date(Date.parse(latest) + 1000).toISOString() };
    const report = await backtest(service, { kind: 'replay', version: 'cap-5', ...window }, new Date());
    const top: string = report.report.senders[0].senderId;

    await page.goto(`${service.url}/#/backtests?id=${report.id}`);
    await page.getByRole('table', { name: 'Senders most affected' }).getByRole('link', { name: top, exact: true }).click();
    await page.waitForURL((url) => url.hash.startsWith('#/investigations?'));
    expect(Object.fromEntries(hashParams())).toEqual({ account: top, as: 'sender', from: report.options.from, to: report.options.to });
    await page.getByRole('region', { name: `Account ${top}` }).waitFor();
    await expect.poll(() => shownDecisionIds(page)).toEqual(await apiIds({ sender: top, from: report.options.from, to: report.options.to }));
  });

  it('raised no error in the page', () => {
    expect(operator.pageErrors).toEqual([]);
  });
});
