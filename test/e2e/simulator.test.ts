// Issue 11 §6: "Simulator: choose the version (a draft beside the active one, both decisions shown), show the parameter
// values a condition compared against, the quota and retry-after; inputs in the URL." §7: "a negative fact override is
// accepted (refuse it, server and form); messages say which field in words". An operator in headless Chromium.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { launchChromium } from './support/browser.ts';
import { signInAs, type OperatorPage } from './support/operator.ts';

let service: TestService;
let browser: Browser;
let operator: OperatorPage;
let page: Page;

const decisionBy = (version: string) => page.getByRole('region', { name: `Decision by ${version}` });
const hashParams = () => new URLSearchParams(new URL(page.url()).hash.split('?')[1] ?? '');

beforeAll(async () => {
  service = await startTestService();
  // A draft whose daily cap is 2, and a sender who sent 2 counted messages today (to followers: allowed).
  expect((await service.call('POST', '/v1/policies/dm/versions', { body: { from: 'x-2023', version: 'cap-2' } })).status).toBe(201);
  expect((await service.call('PATCH', '/v1/policies/dm/versions/cap-2', { body: { parameters: { dailyLimit: 2 } } })).status).toBe(200);
  for (const friend of ['fred', 'gina', 'hugo']) expect((await service.call('PUT', `/v1/accounts/${friend}/following/sam`, { body: {} })).status).toBe(200);
  for (const friend of ['fred', 'gina']) {
    const sent = await service.call('POST', '/v1/sends', { body: { senderId: 'sam', recipientIds: [friend], text: `hi ${friend}` } });
    expect(sent.body.decision).toBe('allow');
  }
  browser = await launchChromium();
  operator = await signInAs(browser, service, 'simone', 'viewer');
  page = operator.page;
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('the simulator', () => {
  it('puts the newest draft beside the active version and shows both decisions, with quota and retry-after', async () => {
    await page.getByRole('link', { name: 'Simulator' }).click();
    await page.getByLabel('Version', { exact: true }).locator('option', { hasText: 'x-2023 (active)' }).waitFor({ state: 'attached' });
    expect(await page.getByLabel('Version', { exact: true }).inputValue()).toBe('x-2023');
    expect(await page.getByLabel('Beside it').inputValue()).toBe('cap-2');

    await page.getByLabel('Sender').fill('sam');
    await page.getByLabel('Recipients').fill('hugo');
    await page.getByLabel('Message text').fill('third one today');
    await page.getByRole('button', { name: 'Check' }).click();

    const active = decisionBy('x-2023');
    const draft = decisionBy('cap-2');
    await draft.waitFor();
    expect(await active.getByRole('heading').textContent()).toMatch(/x-2023 \(active\): allow/);
    expect(await draft.getByRole('heading').textContent()).toMatch(/cap-2 \(draft\): limit\s+decides differently/);
    expect(await active.locator('dd').allTextContents()).toEqual(expect.arrayContaining(['allowed', '—']));
    const [, , retry, quota] = await draft.locator('dd').allTextContents();
    // The next UTC midnight, in seconds, as the service reckons it.
    const response = await service.call('POST', '/v1/simulations', { body: { version: 'cap-2', send: { senderId: 'sam', recipientIds: ['hugo'], text: 'x' } } });
    const seconds = response.body.retryAfterSeconds as number;
    expect(Math.abs(Number(retry.split(' s ')[0].replace(/,/g, '')) - seconds)).toBeLessThanOrEqual(2);
    // Hours, minutes and seconds, each only when not zero ("14 h 23 min", "1 h 5 s", "40 s").
    expect(retry).toMatch(/^[\d,]+ s \((?=\d)(\d+ h)?( ?\d+ min)?( ?\d+ s)?\)$/);
    expect(quota).toMatch(/^2 of 2 used, 0 left; resets /);
    expect(await active.locator('dd').nth(3).textContent()).toMatch(/^3 of 500 used, 497 left; resets /);
  });

  it('shows the parameter value each condition compared against', async () => {
    const cap = page.getByRole('region', { name: 'Trace for hugo' }).nth(1).locator('li[aria-current="true"]');
    expect(await cap.textContent()).toMatch(/^\s*daily-cap\b/);
    expect(await cap.getByText('params.dailyLimit').locator('..').textContent()).toContain('quota.dailyUsed greaterThanInclusive params.dailyLimit = 2 saw 2');
    const activeCap = page.getByRole('region', { name: 'Trace for hugo' }).first().locator('li', { hasText: 'daily-cap' });
    await activeCap.locator('summary').click();
    expect(await activeCap.textContent()).toContain('params.dailyLimit = 500');
  });

  it('keeps its inputs in the URL, so the link runs the same simulation again', async () => {
    const params = hashParams();
    expect(Object.fromEntries(params)).toEqual({ sender: 'sam', recipients: 'hugo', kind: 'direct', channel: 'web', text: 'third one today', version: 'x-2023', compare: 'cap-2' });
    const url = page.url();
    await page.goto(`${service.url}/#/overview`);
    await page.goto(url);
    await decisionBy('cap-2').getByText('daily_limit').waitFor();
    expect(await page.getByLabel('Sender').inputValue()).toBe('sam');
    expect(await page.getByLabel('Message text').inputValue()).toBe('third one today');
  });

  it('refuses a negative or fractional count override in the form, naming the fact, before anything is sent', async () => {
    let sent = 0;
    page.on('request', (r) => { if (r.url().endsWith('/v1/simulations')) sent++; });
    await page.getByRole('button', { name: 'Add a fact override' }).click();
    await page.getByLabel('Fact 1').selectOption('quota.dailyUsed');
    const value = page.getByLabel('Value of quota.dailyUsed');
    await value.fill('-3');
    await page.getByRole('alert').getByText('quota.dailyUsed is a count: a whole number from 0').waitFor();
    expect(await page.getByRole('button', { name: 'Check' }).isDisabled()).toBe(true);
    expect(await value.getAttribute('aria-invalid')).toBe('true');
    await value.fill('1.5');
    await page.getByRole('alert').getByText('quota.dailyUsed is a count: a whole number from 0').waitFor();
    await value.press('Enter');
    expect(sent).toBe(0);

    await value.fill('0');
    await page.getByRole('button', { name: 'Check' }).click();
    await page.waitForURL((url) => url.hash.includes('fact=quota.dailyUsed%3A0'));
    await decisionBy('cap-2').getByText('The quota and the retry-after count the sends stored').waitFor();
    expect(await decisionBy('cap-2').getByRole('heading').textContent()).toMatch(/cap-2 \(draft\): allow/);
    expect(await decisionBy('cap-2').getByText('The quota and the retry-after count the sends stored').count()).toBe(1);
    expect(sent).toBe(2);
  });

  it("names the field in the form's words when the service refuses an input", async () => {
    await page.getByLabel('Sender').fill('sam smith');
    await page.getByRole('button', { name: 'Check' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'ids are' });
    await alert.waitFor();
    expect((await alert.textContent())!.trim()).toBe('Sender: ids are 1–128 characters of A–Z a–z 0–9 _ . : -');
  });

  it('raised no error in the page', () => {
    expect(operator.pageErrors).toEqual([]);
  });
});
