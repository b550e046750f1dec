/**
 * A threshold change done the way operators do it, in headless Chromium against the real service:
 * an admin sets up the people and requires approval; an editor drafts x-2023's daily cap down from
 * 500 to 300, the policy tests follow the cap and one is added; a publisher approves and publishes;
 * a simulated send shows the new limit; a rollback restores the old one; stopping an experiment
 * is confirmed with what changes.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { launchChromium } from './support/browser.ts';

const adminPassword = 'admin-password-e2e-456';
const patPassword = 'publisher-password-789';

let service: TestService;
let browser: Browser;
let page: Page;
/** erin's password, as the reset showed it once. */
let erinPassword: string;
const pageErrors: string[] = [];

async function signIn(username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`${username} (`).waitFor();
}

async function signOut() {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

async function stored(version: string) {
  return (await service.call('GET', `/v1/policies/dm/versions/${version}`)).body;
}

/** Checks alice → bob in the simulator by the active version alone and returns the daily quota it shows. */
async function simulatedQuota(active: string): Promise<string> {
  await page.getByRole('link', { name: 'Simulator' }).click();
  // The form takes its defaults once the versions are listed: fill it after.
  await page.getByLabel('Version', { exact: true }).locator('option', { hasText: `${active} (active)` }).waitFor({ state: 'attached' });
  expect(await page.getByLabel('Version', { exact: true }).inputValue()).toBe(active);
  await page.getByLabel('Beside it').selectOption('');
  await page.getByLabel('Sender').fill('alice');
  await page.getByLabel('Recipients').fill('bob');
  await page.getByRole('button', { name: 'Check' }).click();
  const decision = page.getByRole('region', { name: `Decision by ${active}` });
  await decision.getByText('Daily quota').waitFor();
  return (await decision.locator('dt:has-text("Daily quota") + dd').textContent())!;
}

const policyTests = () => page.getByRole('table', { name: 'Policy tests' });

beforeAll(async () => {
  service = await startTestService({ adminPassword });
  expect((await service.call('PUT', '/v1/accounts/bob/following/alice', { body: {} })).status).toBe(200);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(`${service.url}/`);
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('a threshold change, end to end', () => {
  it('an admin creates an editor and a publisher on the operators screen, and resets a password shown once', async () => {
    await signIn('admin', adminPassword);
    await page.getByRole('link', { name: 'Operators' }).click();
    // The title follows the route a tick after the click: read it once it has.
    await expect.poll(() => page.title()).toBe('Operators · dm-policy');
    const operators = page.getByRole('table', { name: 'Operators' });
    await operators.getByRole('cell', { name: 'admin (you)' }).waitFor();

    const form = page.getByRole('form', { name: 'New operator' });
    for (const [username, role] of [['erin', 'editor'], ['pat', 'publisher']]) {
      await form.getByLabel('Username').fill(username);
      await form.getByLabel('Password').fill(patPassword);
      await form.getByLabel('Role').selectOption(role);
      await form.getByRole('button', { name: 'Create operator' }).click();
      await operators.getByRole('cell', { name: username, exact: true }).waitFor();
    }
    expect(await operators.getByLabel('Role of pat').inputValue()).toBe('publisher');

    await page.getByRole('button', { name: 'Reset password of erin' }).click();
    const once = page.getByRole('status', { name: 'Shown once' });
    await once.getByText('New password of erin').waitFor();
    erinPassword = (await once.locator('code').textContent())!;
    expect(erinPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    await once.getByRole('button', { name: 'Done' }).click();
  });

  it('an admin creates a token with scopes, sees its secret once, and revokes it', async () => {
    const form = page.getByRole('form', { name: 'New token' });
    await form.getByLabel('Token name').fill('messaging-backend');
    await form.getByLabel('graph').check();
    await form.getByRole('button', { name: 'Create token' }).click();
    const once = page.getByRole('status', { name: 'Shown once' });
    await once.getByText('Secret of token messaging-backend').waitFor();
    const secret = (await once.locator('code').textContent())!;
    expect((await service.call('GET', '/v1/auth/me', { token: secret })).body.scopes).toEqual(['decide', 'graph']);
    await once.getByRole('button', { name: 'Done' }).click();

    await page.getByRole('button', { name: 'Revoke messaging-backend' }).click();
    await page.getByRole('table', { name: 'Tokens' }).getByText(/^revoked /).waitFor();
    expect((await service.call('GET', '/v1/auth/me', { token: secret })).status).toBe(401);
  });

  it('an admin requires a second person\'s approval for every publish', async () => {
    await page.getByRole('link', { name: 'Policies' }).click();
    // The title follows the route a tick after the click: read it once it has.
    await expect.poll(() => page.title()).toBe('Policies · dm-policy');
    const setting = page.getByLabel('Approval setting');
    await setting.getByText('Publishing does not require a second person\'s approval.').waitFor();
    await setting.getByLabel('Why').fill('four eyes on every publish');
    await setting.getByRole('button', { name: 'Require approval' }).click();
    await setting.getByText('Publishing requires a second person\'s approval.').waitFor();
    await signOut();
  });

  it('an editor drafts a named, described draft, and a fractional cap is refused in words', async () => {
    await signIn('erin', erinPassword);
    expect(await page.getByRole('link', { name: 'Operators' }).count()).toBe(0);
    await page.getByRole('link', { name: 'Policies' }).click();
    // Counted once the setting has loaded: before, no page shows its button to anyone.
    const setting = page.getByLabel('Approval setting');
    await setting.getByText('Publishing requires a second person\'s approval.').waitFor();
    expect(await setting.getByRole('button').count()).toBe(0);
    await page.getByLabel('Draft name').fill('cap-300');
    await page.getByLabel('Draft description').fill('A daily cap of 300 against the spam wave.');
    await page.getByRole('button', { name: 'New draft from x-2023' }).click();
    await page.getByRole('heading', { name: 'cap-300 draft' }).waitFor();
    const diff = page.getByRole('region', { name: 'Diff from x-2023 to cap-300' });
    expect(await diff.getByText(/^Description:/).textContent()).toMatch(/→ A daily cap of 300 against the spam wave\.$/);

    await page.getByLabel('dailyLimit').fill('2.5');
    await page.getByText('Daily limit must be a whole number (sends)').waitFor();
    expect(await page.getByRole('button', { name: 'Save thresholds' }).isDisabled()).toBe(true);
    expect((await stored('cap-300')).document.parameters.dailyLimit.value).toBe(500);
  });

  it('lowers the cap to 300: the diff shows it, and every policy test still passes at the new boundary', async () => {
    await page.getByLabel('dailyLimit').fill('300');
    await page.getByLabel('Why these thresholds').fill('spam wave');
    await page.getByRole('button', { name: 'Save thresholds' }).click();
    const row = page.getByRole('region', { name: 'Diff from x-2023 to cap-300' }).getByRole('row', { name: /dailyLimit/ });
    expect([await row.locator('.from').textContent(), await row.locator('.to').textContent()]).toEqual(['500', '300']);

    await page.getByRole('button', { name: 'Run policy tests' }).click();
    await page.getByText('Policy tests of cap-300: 44 of 44 passed.').waitFor();
    await page.getByRole('button', { name: 'Run daily-cap-one-below-limit-allows' }).click();
    const result = page.getByRole('row', { name: 'Result of daily-cap-one-below-limit-allows' });
    expect(await result.textContent()).toMatch(/Passed: json-rules-engine allow \(allowed\), compiled allow \(allowed\)\s*· quota\.dailyUsed = 299/);
  });

  it('adds, edits and deletes policy tests; a bad test name is refused naming the test in words', async () => {
    await page.getByRole('button', { name: 'Add a test' }).click();
    let form = page.getByRole('form', { name: 'New policy test' });
    await form.getByLabel('Test name').fill('Far Below');
    await form.getByLabel('What it checks').fill('Seed 000: "an account limit of 500 Direct Messages sent per day" — far below the cap is allowed (R10).');
    await form.getByRole('button', { name: 'Add a fact' }).click();
    await form.getByLabel('Test fact 1').selectOption('quota.dailyUsed');
    await form.getByLabel('How quota.dailyUsed is given').selectOption('relative');
    await form.getByLabel('Parameter for quota.dailyUsed').selectOption('dailyLimit');
    await form.getByLabel('Offset for quota.dailyUsed').fill('-100');
    await form.getByText('= 200 now').waitFor();
    await form.getByRole('button', { name: 'Save test' }).click();
    await page.getByRole('alert').locator('strong').getByText(/^Policy test 45: name: must be a slug/).waitFor();

    await form.getByLabel('Test name').fill('daily-cap-far-below-limit-allows');
    await form.getByRole('button', { name: 'Save test' }).click();
    await policyTests().getByText('quota.dailyUsed = dailyLimit − 100').waitFor();

    await page.getByRole('button', { name: 'Edit daily-cap-far-below-limit-allows' }).click();
    form = page.getByRole('form', { name: 'Edit daily-cap-far-below-limit-allows' });
    await form.getByLabel('Offset for quota.dailyUsed').fill('-50');
    await form.getByLabel('Why this change').fill('closer to the cap');
    await form.getByRole('button', { name: 'Save test' }).click();
    await policyTests().getByText('quota.dailyUsed = dailyLimit − 50').waitFor();
    await page.getByRole('button', { name: 'Run daily-cap-far-below-limit-allows' }).click();
    expect(await page.getByRole('row', { name: 'Result of daily-cap-far-below-limit-allows' }).textContent()).toMatch(/Passed: .*quota\.dailyUsed = 250/);

    await page.getByRole('button', { name: 'Add a test' }).click();
    form = page.getByRole('form', { name: 'New policy test' });
    await form.getByLabel('Test name').fill('throwaway');
    await form.getByLabel('What it checks').fill('Seed 000: nothing stops the neutral send (R10).');
    await form.getByRole('button', { name: 'Save test' }).click();
    await policyTests().getByRole('cell', { name: /^throwaway/ }).waitFor();
    await page.getByRole('button', { name: 'Delete throwaway' }).click();
    await policyTests().getByRole('cell', { name: /^throwaway/ }).waitFor({ state: 'detached' });

    const tests = (await stored('cap-300')).tests;
    expect(tests).toHaveLength(45);
    expect(tests.at(-1)).toMatchObject({ name: 'daily-cap-far-below-limit-allows', facts: { quota: { dailyUsed: { param: 'dailyLimit', offset: -50 } } } });
    const changes = page.getByRole('table', { name: 'Policy test changes' });
    expect(await changes.getByRole('row', { name: /daily-cap-far-below-limit-allows/ }).textContent()).toContain('added');
  });

  it('shows the editor the draft waiting for approval and who may approve, without Approve or Publish', async () => {
    const approval = page.getByRole('status', { name: 'Approval' });
    expect((await approval.textContent())!.replace(/\s+/g, ' ')).toContain('Waiting for approval (the policy requires a second person\'s approval). May approve: admin, pat.');
    expect(await page.getByRole('button', { name: /^Approve / }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Publish / }).count()).toBe(0);
    await signOut();
  });

  it('a publisher sees the test changes, approves with a reason, and publishes after confirming what changes', async () => {
    await signIn('pat', patPassword);
    await page.goto(`${service.url}/#/policies?version=cap-300`);
    await page.getByRole('heading', { name: 'cap-300 draft' }).waitFor();
    await page.getByRole('table', { name: 'Policy test changes' }).getByText('daily-cap-far-below-limit-allows').waitFor();
    expect(await page.getByRole('button', { name: 'Publish cap-300' }).isDisabled()).toBe(true);

    await page.getByLabel('Why approve').fill('300 is what trust & safety asked for');
    await page.getByRole('button', { name: 'Approve cap-300' }).click();
    await page.getByText('Approved by pat: “300 is what trust & safety asked for”.').waitFor();

    await page.getByLabel('Why publish').fill('spam wave: lower the cap');
    await page.getByRole('button', { name: 'Publish cap-300' }).click();
    const dialog = page.getByRole('dialog', { name: 'Publish cap-300?' });
    expect(await dialog.getByRole('listitem').allTextContents()).toEqual([
      'dailyLimit: 500 → 300', 'policy tests: 44 → 45 (1 added, 0 removed, 0 changed)',
    ]);
    await dialog.getByRole('button', { name: 'Publish now' }).click();
    await page.getByRole('heading', { name: 'cap-300 active' }).waitFor();
    const audit = page.getByRole('table', { name: 'Audit log' });
    expect(await audit.getByRole('row', { name: /version\.approve/ }).textContent()).toContain('300 is what trust & safety asked for');
  });

  it('a simulated send shows the new limit', async () => {
    expect(await simulatedQuota('cap-300')).toMatch(/^1 of 300 used, 299 left; resets /);
  });

  it('rolls back to x-2023 after a confirmation, and the simulator shows the old limit again', async () => {
    await page.getByRole('link', { name: 'Policies' }).click();
    await page.getByRole('table', { name: 'Versions' }).getByRole('button', { name: 'x-2023', exact: true }).click();
    await page.getByLabel('Why roll back').fill('the wave is over');
    await page.getByRole('button', { name: 'Roll back to x-2023' }).click();
    const dialog = page.getByRole('dialog', { name: 'Roll back to x-2023?' });
    expect(await dialog.getByRole('listitem').allTextContents()).toContain('dailyLimit: 300 → 500');
    await dialog.getByRole('button', { name: 'Roll back now' }).click();
    await page.getByRole('heading', { name: 'x-2023 active' }).waitFor();
    expect(await simulatedQuota('x-2023')).toMatch(/^1 of 500 used, 499 left; resets /);
  });

  it('stops an experiment only after a confirmation that says what changes', async () => {
    const started = await service.call('POST', '/v1/experiments', { body: { name: 'cap shadow', arms: [
      { name: 'control', version: 'x-2023', weight: 1 }, { name: 'lower', version: 'cap-300', shadow: true },
    ] } });
    expect(started.status).toBe(201);
    await page.getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('table', { name: 'Experiments' }).getByRole('button', { name: 'Stop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Stop cap shadow?' });
    expect(await dialog.getByRole('listitem').allTextContents()).toEqual([
      'control (x-2023, 1 of 1): its senders are decided by x-2023',
      'lower (cap-300, shadow): no longer evaluated beside the enforced decision',
    ]);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await service.call('GET', `/v1/experiments/${started.body.id}`)).body.status).toBe('running');

    await page.getByRole('table', { name: 'Experiments' }).getByRole('button', { name: 'Stop' }).click();
    await dialog.getByRole('button', { name: 'Stop now' }).click();
    await page.getByRole('table', { name: 'Experiments' }).getByText('stopped').waitFor();
    expect((await service.call('GET', `/v1/experiments/${started.body.id}`)).body.status).toBe('stopped');
  });

  it('raised no error in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
