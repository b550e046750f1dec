/** The dashboard in a real headless Chromium against the real service: an operator's day, page by page. */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { launchChromium } from './support/browser.ts';

const adminPassword = 'admin-password-e2e-123';

let service: TestService;
let browser: Browser;
let page: Page;
/** The draft the policy tests make, publish and roll back from. */
let draft: string;
const pageErrors: string[] = [];
/** Console messages of the browser refusing something under the Content-Security-Policy. */
const cspRefusals: string[] = [];
/** Older Chromium says "Refused to …", newer "… violates the following Content Security Policy directive …". */
const cspRefusal = /^Refused to|violates the following Content Security Policy directive/;

/** Enforces a send through the API, as the messaging backend would, on the server's own clock. */
async function send(senderId: string, recipientId: string, text = 'hello') {
  const res = await service.call('POST', '/v1/sends', { body: { senderId, recipientIds: [recipientId], text } });
  expect(res.status).toBe(200);
  return res.body as { decision: string; reason: string; policy: { version: string } };
}

async function put(path: string) {
  expect((await service.call('PUT', path, { body: {} })).status).toBe(200);
}

async function storedParameter(version: string, name: string): Promise<unknown> {
  const res = await service.call('GET', `/v1/policies/dm/versions/${version}`);
  return res.body.document.parameters[name].value;
}

async function draftName(): Promise<string> {
  const res = await service.call('GET', '/v1/policies/dm/versions');
  return res.body.versions.find((v: { status: string }) => v.status === 'draft').version;
}

/** The row of a parameter in the diff of the draft against the active x-2023. */
const diffRow = (parameter: string) =>
  page.getByRole('region', { name: `Diff from x-2023 to ${draft}` }).getByRole('row', { name: new RegExp(parameter) });

beforeAll(async () => {
  service = await startTestService({ adminPassword });
  // bob follows alice (allowed), carol doesn't (a request), dave blocks alice (denied).
  await put('/v1/accounts/bob/following/alice');
  await put('/v1/accounts/dave/blocks/alice');
  await send('alice', 'bob', 'hello 1');
  await send('alice', 'bob', 'hello 2');
  await send('alice', 'carol');
  await send('alice', 'dave');

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (message) => { if (cspRefusal.test(message.text())) cspRefusals.push(message.text()); });
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('the dashboard', () => {
  it('signs the admin operator in', async () => {
    await page.goto(`${service.url}/`);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    expect(await page.getByText('admin (admin)').isVisible()).toBe(true);
  });

  it('charts the decisions made on the overview', async () => {
    const chart = page.getByRole('img', { name: 'Decision mix over time' });
    await chart.locator('rect.segment').first().waitFor();
    const titles = await chart.locator('rect.segment title').allTextContents();
    const counted: Record<string, number> = {};
    for (const title of titles) {
      const [, count, outcome] = title.match(/: (\d+) (\w+)$/)!;
      counted[outcome] = (counted[outcome] ?? 0) + Number(count);
    }
    expect(counted).toEqual({ allow: 2, request: 1, deny: 1 });
    expect(await page.getByRole('table', { name: 'Top reasons' }).getByText('blocked').isVisible()).toBe(true);
  });

  it('shows a simulated decision and its trace with the deciding rule highlighted', async () => {
    await page.getByRole('link', { name: 'Simulator' }).click();
    await page.getByLabel('Sender').fill('alice');
    await page.getByLabel('Recipients').fill('dave');
    await page.getByLabel('Message text').fill('are you there?');
    await page.getByRole('button', { name: 'Check' }).click();

    const decision = page.getByRole('region', { name: 'Decision' });
    await decision.getByText('blocked').waitFor();
    expect(await decision.getByRole('heading').textContent()).toContain('deny');
    const highlighted = page.getByRole('region', { name: 'Trace for dave' }).locator('li[aria-current="true"]');
    expect(await highlighted.count()).toBe(1);
    expect(await highlighted.textContent()).toMatch(/^\s*block\b.*deciding rule/s);
  });

  it('lets an inline fact override the stored one in the simulator', async () => {
    await page.getByLabel('Recipients').fill('carol');
    await page.getByRole('button', { name: 'Add a fact override' }).click();
    await page.getByLabel('Fact 1').selectOption('relation.recipientFollowsSender');
    await page.getByRole('button', { name: 'Check' }).click();

    const trace = page.getByRole('region', { name: 'Trace for carol' });
    await trace.getByText("No rule matched: the policy's default decided.").waitFor();
    expect(await page.getByRole('region', { name: 'Decision' }).getByRole('heading').textContent()).toContain('allow');
  });

  it('refuses a threshold outside its bounds on a draft, saving nothing, and saves one within them', async () => {
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('button', { name: 'New draft from x-2023' }).click();
    await page.getByRole('heading', { name: / draft$/ }).waitFor();
    draft = await draftName();

    const cooldown = page.getByLabel('cooldownMinutes');
    await cooldown.fill('0');
    await page.getByText('Cooldown minutes must be at least 1 minute', { exact: true }).waitFor();
    await cooldown.press('Enter');
    expect(await page.getByRole('button', { name: 'Save thresholds' }).isDisabled()).toBe(true);
    await cooldown.fill('1441');
    await page.getByText('Cooldown minutes must be at most 1440 minutes', { exact: true }).waitFor();
    expect(await storedParameter(draft, 'cooldownMinutes')).toBe(30);

    await cooldown.fill('45');
    await page.getByLabel('Why these thresholds').fill('a longer cooldown for spammers');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await diffRow('cooldownMinutes').waitFor();
    expect(await storedParameter(draft, 'cooldownMinutes')).toBe(45);
  });

  it('shows the change in the diff against the active version', async () => {
    const row = diffRow('cooldownMinutes');
    expect(await row.locator('.from').textContent()).toBe('30');
    expect(await row.locator('.to').textContent()).toBe('45');
  });

  it('refuses to publish a draft whose policy tests fail, naming them', async () => {
    await page.getByLabel('requirePhoneForNonFollowers').check();
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await diffRow('requirePhoneForNonFollowers').waitFor();
    await page.getByLabel('Why publish').fill('phones for strangers');
    await page.getByRole('button', { name: `Publish ${draft}` }).click();
    await page.getByRole('dialog', { name: `Publish ${draft}?` }).getByRole('button', { name: 'Publish now' }).click();

    await page.getByRole('alert').getByText(/^phone-verification-off-by-default: expected request \(message_request\), got deny/).waitFor();
    expect((await send('alice', 'bob')).policy.version).toBe('x-2023');
  });

  it('publishes the draft after a confirmation that says what changes, and the next send is decided by it', async () => {
    await page.getByLabel('requirePhoneForNonFollowers').uncheck();
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    await diffRow('requirePhoneForNonFollowers').waitFor({ state: 'detached' });
    await page.getByLabel('Why publish').fill('a longer cooldown for spammers');
    await page.getByRole('button', { name: `Publish ${draft}` }).click();
    const dialog = page.getByRole('dialog', { name: `Publish ${draft}?` });
    expect(await dialog.getByRole('list', { name: 'What changes' }).getByRole('listitem').allTextContents()).toEqual(['cooldownMinutes: 30 → 45']);
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('heading', { name: `${draft} active` }).waitFor();

    const next = await send('alice', 'bob');
    expect([next.decision, next.policy.version]).toEqual(['allow', draft]);
  });

  it('rolls back to the version that was active before', async () => {
    await page.getByRole('table', { name: 'Versions' }).getByRole('button', { name: 'x-2023', exact: true }).click();
    await page.getByLabel('Why roll back').fill('back to the shipped cooldown');
    await page.getByRole('button', { name: 'Roll back to x-2023' }).click();
    await page.getByRole('dialog', { name: 'Roll back to x-2023?' }).getByRole('button', { name: 'Roll back now' }).click();
    await page.getByRole('heading', { name: 'x-2023 active' }).waitFor();

    const next = await send('alice', 'bob');
    expect(next.policy.version).toBe('x-2023');
    expect(next.decision).toBe('allow');
    expect(await page.getByRole('table', { name: 'Audit log' }).getByText('back to the shipped cooldown').isVisible()).toBe(true);
  });

  it("lists an account's decisions in investigations, each explained with its trace", async () => {
    await page.getByRole('link', { name: 'Investigations' }).click();
    await page.getByLabel('Account', { exact: true }).fill('alice');
    await page.getByRole('button', { name: 'Search' }).click();
    // The recent decisions shown before the search have Explain links too: wait for the account's own page,
    // whose note only a search by account shows, and which comes with its decisions.
    await page.getByRole('note').getByText('Every decision is included').waitFor();
    const table = page.getByRole('table', { name: 'Decisions' });
    // Newest first: after the rollback, by the draft, after the refused publish, then the four of the start.
    const rows = table.getByRole('row');
    expect(await rows.count()).toBe(1 + 7);
    expect(await rows.nth(2).textContent()).toContain(draft);
    expect(await rows.nth(4).textContent()).toContain('blocked');

    await table.getByRole('link', { name: 'Explain' }).nth(3).click();
    const explanation = page.getByRole('region', { name: 'Explanation' });
    await explanation.getByText('re-explained the same').waitFor();
    expect(await explanation.locator('li[aria-current="true"]').textContent()).toMatch(/^\s*block\b/);
  });

  it('raised no error in the page, and the Content-Security-Policy refused nothing it needs', () => {
    expect(pageErrors).toEqual([]);
    expect(cspRefusals).toEqual([]);
  });

  it('refuses a script injected into the page: the policy is in force (and its refusals are seen above)', async () => {
    const ran = await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.injected = "ran"';
      document.body.append(script);
      return document.body.dataset.injected ?? 'refused';
    });
    expect(ran).toBe('refused');
    await expect.poll(() => cspRefusals.length).toBe(1);
    expect(cspRefusals[0]).toMatch(/inline script.*violates the following Content Security Policy directive:? .default-src 'self'/);
  });

  it("/docs: the page's own scripts and styles pass its policy (Scalar's CDN is out of reach here, so only those)", async () => {
    const docs = await browser.newPage();
    const refusals: string[] = [];
    docs.on('console', (message) => { if (cspRefusal.test(message.text())) refusals.push(message.text()); });
    await docs.route(/^https:\/\//, (route) => route.abort());
    const res = await docs.goto(`${service.url}/docs`);
    expect(res?.status()).toBe(200);
    await docs.waitForLoadState('load');
    expect(refusals).toEqual([]);
    await docs.close();
  });
});
