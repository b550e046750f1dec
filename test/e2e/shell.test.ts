// Issue 11 §8: "the signed-out first visit logs no console error (today GET /v1/auth/me answers 401 on every visit to
// the sign-in page); a page title per route; loading states instead of false empty states; an unknown route says so;
// the UI hides or disables what the operator's role can't do; deep links for backtest reports, experiments and periods."
import type { Browser, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backtest } from '../lifecycle/backtests.helpers.ts';
import { startTestService, type TestService } from '../support/service.ts';
import { launchChromium } from './support/browser.ts';
import { openPage, signInAs } from './support/operator.ts';

let service: TestService;
let browser: Browser;
let backtestId: string;
let experiments: { older: string; newer: string };

async function ok(method: string, path: string, body: unknown, status = 200) {
  const res = await service.call(method, path, { body });
  expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  return res.body;
}

/** Holds the answers to requests matching `pattern` until `release` is called. */
function hold(pattern: RegExp) {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const handler = async (route: Route) => {
    await released;
    await route.continue();
  };
  return { pattern, handler, release };
}

beforeAll(async () => {
  service = await startTestService();
  await ok('PUT', '/v1/accounts/bea/following/al', {});
  await ok('POST', '/v1/sends', { senderId: 'al', recipientIds: ['bea'], text: 'hi' });
  const older = await ok('POST', '/v1/experiments', { name: 'first-split', arms: [{ name: 'control', version: 'x-2023', weight: 100 }] }, 201);
  await ok('POST', `/v1/experiments/${older.id}/stop`, {});
  const newer = await ok('POST', '/v1/experiments', { name: 'second-split', arms: [{ name: 'control', version: 'x-2023', weight: 100 }] }, 201);
  experiments = { older: older.id, newer: newer.id };
  const now = new Date();
  const replay = { kind: 'replay', version: 'x-2023', from: new Date(now.getTime() - 3_600_000).toISOString(), to: new Date(now.getTime() + 60_000).toISOString() };
  backtestId = (await backtest(service, replay, now)).id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('the dashboard shell', () => {
  it('greets a signed-out first visit with the sign-in page under its title, and no console error', async () => {
    const visitor = await openPage(browser);
    await visitor.page.goto(`${service.url}/`, { waitUntil: 'networkidle' });
    await visitor.page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(await visitor.page.title()).toBe('Sign in · dm-policy');
    expect(visitor.consoleErrors).toEqual([]);
    expect(visitor.pageErrors).toEqual([]);
    await visitor.page.context().close();
  });

  it('says on the sign-in page when the session could not be checked, instead of only asking to sign in', async () => {
    const visitor = await openPage(browser);
    await visitor.page.route(/\/v1\/auth\/session$/, (route: Route) => route.fulfill({
      status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'storage_busy', message: 'the database stayed locked', path: null } }),
    }));
    await visitor.page.goto(`${service.url}/`);
    const notice = visitor.page.getByRole('alert').filter({ hasText: 'Your session could not be checked' });
    await notice.waitFor();
    expect(await notice.textContent()).toContain('the service answered 503 (the database stayed locked)');
    await visitor.page.getByRole('button', { name: 'Sign in' }).waitFor();
    await visitor.page.context().close();
  });

  it('titles every page, and says so when an address names no page', async () => {
    const { page, pageErrors } = await signInAs(browser, service, 'tess', 'viewer');
    const titles: Record<string, string> = {
      Policies: 'Policies · dm-policy', Simulator: 'Simulator · dm-policy', Investigations: 'Recent decisions · Investigations · dm-policy',
      Audit: 'Audit · dm-policy', Experiments: 'second-split · Experiments · dm-policy', Backtests: 'Backtests · dm-policy', Overview: 'Last hour · Overview · dm-policy',
    };
    for (const [link, title] of Object.entries(titles)) {
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: link }).click();
      await expect.poll(() => page.title(), { message: link }).toBe(title);
    }

    await page.goto(`${service.url}/#/no-such-thing?x=1`);
    await page.getByRole('heading', { name: 'No such page' }).waitFor();
    expect(await page.getByText('#/no-such-thing?x=1 names no page of the dashboard').count()).toBe(1);
    expect(await page.title()).toBe('No such page · dm-policy');
    await page.getByRole('main').getByRole('link', { name: 'Audit' }).click();
    await expect.poll(() => page.title()).toBe('Audit · dm-policy');
    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('keeps the operator\'s name, Sign out and the audit log inside an 800-pixel window, the bar wrapping', async () => {
    const { page } = await signInAs(browser, service, 'nina', 'viewer');
    await page.setViewportSize({ width: 800, height: 900 });
    await page.goto(`${service.url}/#/audit`);
    const signOut = await page.getByRole('button', { name: 'Sign out' }).boundingBox();
    const who = await page.locator('header .who').boundingBox();
    expect(signOut!.x + signOut!.width).toBeLessThanOrEqual(800);
    expect(who!.x + who!.width).toBeLessThanOrEqual(800);
    // Nor does the audit log, with its diffs open, push the page wider than the window.
    await page.getByRole('table', { name: 'Audit log' }).getByText('experiment.start').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(800);
    await page.context().close();
  });

  it('says it is loading, not that there is nothing, while the service has not answered', async () => {
    const { page } = await signInAs(browser, service, 'luke', 'viewer');
    const decisions = hold(/\/v1\/decisions\?/);
    await page.route(decisions.pattern, decisions.handler);
    await page.goto(`${service.url}/#/investigations`);
    await page.getByRole('status').getByText('Loading decisions…').waitFor();
    expect(await page.getByText('No decision logged yet.').count()).toBe(0);
    decisions.release();
    await page.getByRole('table', { name: 'Decisions' }).getByRole('link', { name: 'Explain' }).waitFor();
    expect(await page.getByText('Loading decisions…').count()).toBe(0);

    const audit = hold(/\/v1\/audit\?/);
    await page.route(audit.pattern, audit.handler);
    await page.goto(`${service.url}/#/audit`);
    await page.getByRole('status').getByText('Loading the audit log…').waitFor();
    expect(await page.getByText('Nothing audited yet.').count()).toBe(0);
    audit.release();
    await page.getByRole('table', { name: 'Audit log' }).getByText('experiment.start').first().waitFor();
    await page.context().close();
  });

  it('says what could not be loaded when the service fails, instead of loading forever', async () => {
    const { page } = await signInAs(browser, service, 'lena', 'viewer');
    const boom = (route: Route) => route.fulfill({ status: 500, contentType: 'application/json', body: JSON.stringify({ error: { code: 'internal', message: 'boom', path: null } }) });
    await page.route(/\/v1\/policies\/dm\/versions$/, boom);
    await page.goto(`${service.url}/#/policies`);
    await page.getByText('The versions could not be loaded (the error is above).').waitFor();
    expect(await page.getByText('The approval setting could not be loaded (the error is above).').count()).toBe(1);
    expect(await page.getByText('The audit log could not be loaded (the error is above).').count()).toBe(1);
    expect(await page.getByText(/^Loading/).count()).toBe(0);

    await page.route(/\/v1\/backtests$/, boom);
    await page.goto(`${service.url}/#/backtests`);
    await page.getByText('The backtests could not be loaded (the error is above).').waitFor();
    // A viewer is not offered the form; a publisher is, and with no version to choose, nothing to run.
    const publisher = (await signInAs(browser, service, 'petra', 'publisher')).page;
    await publisher.route(/\/v1\/policies\/dm\/versions$/, boom);
    await publisher.goto(`${service.url}/#/backtests`);
    await publisher.getByText('The backtests could not be loaded (the error is above).').waitFor();
    expect(await publisher.getByRole('button', { name: 'Run backtest' }).isDisabled()).toBe(true);
    await publisher.context().close();
    await page.route(/\/v1\/experiments$/, boom);
    await page.goto(`${service.url}/#/experiments`);
    await page.getByText('The experiments could not be loaded (the error is above).').waitFor();
    expect(await page.getByText(/^Loading/).count()).toBe(0);

    await page.route(/\/v1\/figures(\?.*)?$/, boom);
    await page.goto(`${service.url}/#/overview`);
    await page.getByText('The figures could not be loaded (the error is above).').waitFor();
    // Which period holds data could not be told: the overview names one instead of a blank choice.
    await page.waitForURL((url) => url.hash === '#/overview?period=day');
    expect(await page.getByLabel('Period').inputValue()).toBe('day');
    expect(await page.getByLabel('Period').isDisabled()).toBe(false);

    await page.route(/\/v1\/decisions(\?.*)?$/, boom);
    await page.goto(`${service.url}/#/investigations`);
    await page.getByText('The decisions could not be loaded (the error is above).').waitFor();
    await page.route(/\/v1\/audit(\?.*)?$/, boom);
    await page.goto(`${service.url}/#/audit`);
    await page.getByText('The audit log could not be loaded (the error is above).').waitFor();
    expect(await page.getByText(/^Loading/).count()).toBe(0);
    await page.context().close();
  });

  it('offers no Approve where publishing needs no approval', async () => {
    const draft = await ok('POST', '/v1/policies/dm/versions', { from: 'x-2023', reason: 'shell test: a draft' }, 201);
    const { page } = await signInAs(browser, service, 'pia', 'publisher');
    await page.goto(`${service.url}/#/policies?version=${encodeURIComponent(draft.version)}`);
    await page.getByRole('status', { name: 'Approval' }).getByText('No approval needed to publish.').waitFor();
    expect(await page.getByRole('button', { name: /^Approve / }).count()).toBe(0);
    await page.context().close();
  });

  it("keeps the operator where they went when they leave the overview before it chose its period", async () => {
    const { page } = await signInAs(browser, service, 'mona', 'viewer');
    await page.goto(`${service.url}/#/audit`);
    await page.evaluate(() => localStorage.clear());
    const figures = hold(/\/v1\/figures\?/);
    await page.route(figures.pattern, figures.handler);
    await page.goto(`${service.url}/#/overview`);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Simulator' }).click();
    await page.getByLabel('Sender').waitFor();
    const late = page.waitForResponse((r) => r.url().includes('/v1/figures'));
    figures.release();
    // The overview's late answer must not pull the operator back: once it has arrived, and the page has had a
    // frame and a task to act on it, the operator is still where they went.
    await (await late).finished();
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve))));
    expect(new URL(page.url()).hash).toBe('#/simulator');
    await page.context().close();
  });

  it('hides what a viewer may not do, and shows it to a publisher', async () => {
    const viewer = (await signInAs(browser, service, 'vera', 'viewer')).page;
    const publisher = (await signInAs(browser, service, 'paul', 'publisher')).page;
    for (const page of [viewer, publisher]) {
      await page.goto(`${service.url}/#/backtests`);
      await page.getByRole('table', { name: 'Backtests' }).getByRole('link', { name: /^Open the report/ }).waitFor();
      await page.goto(`${service.url}/#/experiments?id=${experiments.newer}`);
      await page.getByRole('table', { name: 'Arms', exact: true }).waitFor();
    }
    const count = async (page: typeof viewer, path: string, locate: (p: typeof viewer) => ReturnType<typeof viewer.getByRole>) => {
      await page.goto(`${service.url}/${path}`);
      await page.getByRole('heading', { level: 2 }).waitFor();
      await page.waitForLoadState('networkidle');
      return locate(page).count();
    };
    const runForm = (p: typeof viewer) => p.getByRole('form', { name: 'Run a backtest' });
    const startForm = (p: typeof viewer) => p.getByRole('form', { name: 'Start an experiment' });
    const stopButton = (p: typeof viewer) => p.getByRole('button', { name: 'Stop' });
    expect(await count(viewer, '#/backtests', runForm)).toBe(0);
    expect(await viewer.getByText('Running a backtest needs the publisher role').count()).toBe(1);
    expect(await count(publisher, '#/backtests', runForm)).toBe(1);
    // A running experiment's Stop button sits in its row of the list, which may land after the form:
    // each role's count is read once that row is there.
    const runningRow = (p: typeof viewer) => p.getByRole('table', { name: 'Experiments' }).getByRole('row').filter({ hasText: 'second-split' }).filter({ hasText: 'running' });
    expect(await count(viewer, `#/experiments?id=${experiments.newer}`, startForm)).toBe(0);
    await runningRow(viewer).waitFor();
    expect(await stopButton(viewer).count()).toBe(0);
    expect(await count(publisher, `#/experiments?id=${experiments.newer}`, startForm)).toBe(1);
    await runningRow(publisher).waitFor();
    expect(await stopButton(publisher).count()).toBe(1);
    await viewer.context().close();
    await publisher.context().close();
  });

  it('opens a backtest report, an experiment and an overview period from their links', async () => {
    const { page } = await signInAs(browser, service, 'dora', 'viewer');
    await page.goto(`${service.url}/#/backtests?id=${backtestId}`);
    await page.getByRole('heading', { name: 'Report' }).waitFor();
    await page.getByRole('table', { name: 'Transitions' }).waitFor();
    expect(await page.getByRole('table', { name: 'Backtests' }).locator('tr[aria-current="true"]').count()).toBe(1);
    await expect.poll(() => page.title()).toBe('replay of x-2023 · Backtests · dm-policy');

    await page.goto(`${service.url}/#/experiments?id=${experiments.older}`);
    await page.getByRole('heading', { name: 'first-split' }).waitFor();
    await expect.poll(() => page.title()).toBe('first-split · Experiments · dm-policy');
    await page.getByRole('table', { name: 'Experiments' }).getByRole('link', { name: 'second-split' }).click();
    await page.getByRole('heading', { name: 'second-split' }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/experiments?id=${experiments.newer}`);

    await page.goto(`${service.url}/#/overview?period=month`);
    await expect.poll(() => page.title()).toBe('Last 30 days · Overview · dm-policy');
    expect(await page.getByLabel('Period').inputValue()).toBe('month');
    await page.context().close();
  });
});
