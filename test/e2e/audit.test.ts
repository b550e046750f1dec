// Issue 11 §4: "Audit as its own page: filters by actor, action, version and time; diffs rendered as tables; names,
// not UUIDs." An operator reads who changed what, in headless Chromium.
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { launchChromium } from './support/browser.ts';
import { signInAs, type OperatorPage } from './support/operator.ts';

const hourMs = 3_600_000;
const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

let service: TestService;
let browser: Browser;
let operator: OperatorPage;
let page: Page;
/** Whole minutes, so that times typed into minute inputs fall between the entries. */
const t = Math.floor(Date.now() / hourMs) * hourMs - 10 * hourMs;
const at = (hours: number) => new Date(t + hours * hourMs);

async function ok(method: string, path: string, options: Parameters<TestService['call']>[2], status = 200) {
  const res = await service.call(method, path, options);
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

/** The API's entries for a query, as the page should show them: action and subject name. */
async function apiRows(query: Record<string, string>): Promise<string[]> {
  const { entries } = await ok('GET', `/v1/audit?${new URLSearchParams({ limit: '50', ...query })}`, {});
  return entries.map((e: { action: string }) => e.action);
}

const table = () => page.getByRole('table', { name: 'Audit log' });
/** The action of every row shown, in order. */
const rows = () => table().locator(':scope > tbody > tr');
const shownActions = () => rows().locator(':scope > td:nth-child(3)').allTextContents();
const hashParams = () => Object.fromEntries(new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? ''));

async function filter(values: Partial<Record<'Who' | 'Action' | 'Version', string>> & { From?: string; To?: string }) {
  for (const label of ['Who', 'Action', 'Version'] as const) await page.getByLabel(label).selectOption(values[label] ?? '');
  await page.getByLabel('From', { exact: true }).fill(values.From ?? '');
  await page.getByLabel('To', { exact: true }).fill(values.To ?? '');
  const before = page.url();
  await page.getByRole('button', { name: 'Filter' }).click();
  if (page.url() === before) return;
  await page.waitForURL((url) => url.href !== before);
}

beforeAll(async () => {
  service = await startTestService();
  const bot = await ok('POST', '/v1/tokens', { body: { name: 'release-bot', scopes: ['admin'] } }, 201);
  // Hour 0: a draft; hour 1: its edit; hour 2: release-bot starts an experiment; hour 3: an exemption, then its revoke.
  await ok('POST', '/v1/policies/dm/versions', { body: { from: 'x-2023', version: 'quiet-hours', reason: 'start from the shipped rules' }, now: at(0) }, 201);
  await ok('PATCH', '/v1/policies/dm/versions/quiet-hours', { body: { parameters: { dailyLimit: 400 }, reason: 'fewer for everyone' }, now: at(1) });
  await ok('POST', '/v1/experiments', {
    token: bot.secret, now: at(2),
    body: { name: 'cap-trial', arms: [{ name: 'control', version: 'x-2023', weight: 100 }, { name: 'tight', version: 'quiet-hours', weight: 0, shadow: true }] },
  }, 201);
  const exemption = await ok('POST', '/v1/accounts/shop-1/exemptions', { body: { rule: 'daily-cap', expiresAt: at(30).toISOString(), reason: 'launch day' }, now: at(3) }, 201);
  await ok('DELETE', `/v1/accounts/shop-1/exemptions/${exemption.id}`, { now: at(3.5) });

  browser = await launchChromium();
  operator = await signInAs(browser, service, 'aude', 'viewer');
  page = operator.page;
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('the audit page', () => {
  it('lists every change, newest first, under its own title', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await rows().first().waitFor();
    expect(await page.title()).toBe('Audit · dm-policy');
    await expect.poll(shownActions).toEqual(await apiRows({}));
    expect((await shownActions()).slice(-5)).toEqual(['exemption.revoke', 'exemption.grant', 'experiment.start', 'draft.edit', 'draft.create']);
  });

  it('names what its ids stand for: tokens, operators, experiments and exemptions by name, never a UUID', async () => {
    const text = await table().innerText();
    expect(text).not.toMatch(uuid);
    const rowOf = (action: string) => rows().filter({ has: page.locator(':scope > td:nth-child(3)', { hasText: action }) });
    /** The newest entry's subject. */
    const subjectOf = (action: string) => rowOf(action).first().locator(':scope > td:nth-child(4)').textContent();
    expect(await subjectOf('token.create')).toBe('release-bot');
    expect(await subjectOf('operator.create')).toBe('aude');
    expect(await subjectOf('experiment.start')).toBe('cap-trial');
    expect(await rowOf('exemption.revoke').getByRole('row', { name: /exemptionId/ }).textContent()).toBe('exemptionIdexemption from daily-cap');
  });

  it('filters by who made the change, the filter kept in the URL', async () => {
    await filter({ Who: 'token:release-bot' });
    expect(hashParams()).toEqual({ actor: 'token:release-bot' });
    await expect.poll(shownActions).toEqual(['experiment.start']);
    const arms = table().getByRole('table', { name: 'arms' });
    expect(await arms.locator('tbody tr').allTextContents()).toEqual(['controlx-2023100false', 'tightquiet-hours0true']);
  });

  it('filters by action, and shows a draft edit as a table of what changed, before and after', async () => {
    await filter({ Action: 'draft.edit' });
    await expect.poll(shownActions).toEqual(['draft.edit']);
    const row = table().getByRole('row', { name: /dailyLimit/ });
    expect(await row.locator('td').allTextContents()).toEqual(['dailyLimit', 'changed (value)', '500', '400']);
    expect(await table().getByRole('columnheader', { name: 'before' }).count()).toBe(1);
    expect(await table().getByRole('columnheader', { name: 'after' }).count()).toBe(1);
  });

  it('filters by version', async () => {
    await filter({ Version: 'quiet-hours' });
    expect(hashParams()).toEqual({ version: 'quiet-hours' });
    await expect.poll(shownActions).toEqual(['draft.edit', 'draft.create']);
  });

  it('filters by time', async () => {
    const local = (d: Date) => d.toISOString().slice(0, 16);
    await filter({ From: local(at(0.5)), To: local(at(2.5)) });
    expect(hashParams()).toEqual({ from: at(0.5).toISOString(), to: at(2.5).toISOString() });
    await expect.poll(shownActions).toEqual(['experiment.start', 'draft.edit']);
  });

  it('says when nothing matches', async () => {
    await filter({ Who: 'token:release-bot', Action: 'draft.edit' });
    await table().getByText('No change matches these filters.').waitFor();
  });

  it('keeps a filter from a link selected even when it is not among the choices', async () => {
    // Nobody called "token:night-shift" has changed anything, and no version is called "retired-1".
    await page.goto(`${service.url}/#/audit?actor=token%3Anight-shift&action=draft.edit&version=retired-1`);
    await table().getByText('No change matches these filters.').waitFor();
    // Wait for the choices to load, so that the check is of the select once its options are in.
    await expect.poll(() => page.getByLabel('Who').locator('option').allTextContents()).toContain('token:release-bot');
    expect(await page.getByLabel('Who').inputValue()).toBe('token:night-shift');
    expect(await page.getByLabel('Action').inputValue()).toBe('draft.edit');
    expect(await page.getByLabel('Version').inputValue()).toBe('retired-1');
    expect(await page.getByLabel('Who').locator('option:checked').textContent()).toBe('token:night-shift');
    // Filtering again from the form keeps them (a blank select would have dropped them from the URL).
    await page.getByLabel('To', { exact: true }).fill(at(40).toISOString().slice(0, 16));
    const before = page.url();
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((url) => url.href !== before);
    expect(hashParams()).toMatchObject({ actor: 'token:night-shift', action: 'draft.edit', version: 'retired-1' });
  });

  it('never shows the answer to filters the operator has since changed over the newer filters\' failure', async () => {
    const { page: other } = await signInAs(browser, service, 'audra', 'viewer');
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    await other.route(/\/v1\/audit\?.*actor=/, async (route: Route) => { await held; await route.continue(); });
    await other.route(/\/v1\/audit\?.*action=draft\.edit/, (route: Route) => route.fulfill({
      status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'the audit log is unreadable', path: null } }),
    }));
    await other.goto(`${service.url}/#/audit?actor=token%3Arelease-bot`);
    await other.getByRole('status').getByText('Loading the audit log…').waitFor();
    await other.goto(`${service.url}/#/audit?action=draft.edit`);
    await other.getByText('The audit log could not be loaded (the error is above).').waitFor();
    // The first filters' answer arrives last: it must not replace the failure with its rows.
    const stale = other.waitForResponse(/\/v1\/audit\?.*actor=/);
    release();
    await stale;
    await other.waitForTimeout(100);
    expect(await other.getByText('The audit log could not be loaded (the error is above).').count()).toBe(1);
    expect(await other.getByRole('table', { name: 'Audit log' }).count()).toBe(0);
    await other.context().close();
  });

  it('raised no error in the page', () => {
    expect(operator.pageErrors).toEqual([]);
  });
});
