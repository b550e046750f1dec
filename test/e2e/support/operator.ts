/**
 * An operator at the dashboard, for browser tests: a demo world to look at, and a signed-in page (with the
 * role asked for) that records every console error and uncaught page error it meets.
 */
import { expect } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { seedDemo, type DemoSummary } from '../../../server/demo/populate.ts';
import type { TestService } from '../../support/service.ts';

export const viewport = { width: 1400, height: 900 };

export interface OperatorPage {
  page: Page;
  /** `console.error` messages, failed resource loads included (Chromium logs a 4xx answer as one). */
  consoleErrors: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
}

/** A page in a fresh browser context (no cookie, no stored period), in English and UTC so that dates read the same anywhere. */
export async function openPage(browser: Browser): Promise<OperatorPage> {
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const opened: OperatorPage = { page, consoleErrors: [], pageErrors: [] };
  page.on('console', (m) => { if (m.type() === 'error') opened.consoleErrors.push(m.text()); });
  page.on('pageerror', (err) => opened.pageErrors.push(err.message));
  return opened;
}

const operatorPassword = 'operator-password-0123';

/** Creates an operator with `role` through the API, then signs it in through the sign-in page. */
export async function signInAs(browser: Browser, service: TestService, username: string, role: 'viewer' | 'editor' | 'publisher' | 'admin'): Promise<OperatorPage> {
  const created = await service.call('POST', '/v1/operators', { body: { username, password: operatorPassword, role } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const opened = await openPage(browser);
  const { page } = opened;
  await page.goto(`${service.url}/`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(operatorPassword);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();
  return opened;
}

/**
 * The seeded demo world (server/demo), small: its traffic runs `days` days and ends `endsAgoMs` before now,
 * so the dashboard's relative periods ("last 24 hours") find it.
 */
export function seedDemoWorld(service: TestService, options: { accounts: number; days: number; endsAgoMs: number; seed?: number }): Promise<DemoSummary> {
  const start = Date.now() - options.endsAgoMs - options.days * 24 * 3_600_000;
  return seedDemo(service.service, { accounts: options.accounts, days: options.days, seed: options.seed ?? 42, start });
}

/** The decision ids a table of decisions shows, in order, read from its Explain links. */
export async function shownDecisionIds(page: Page): Promise<string[]> {
  const hrefs = await page.getByRole('table', { name: 'Decisions' }).getByRole('link', { name: 'Explain' }).evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
  return hrefs.map((h) => decodeURIComponent(h.split('?')[0].split('/')[2]));
}
