// Issue 13 with issue 14's headers: /docs is Swagger UI from the service's own files, and it renders
// and runs requests in headless Chromium under the strict Content-Security-Policy every answer carries —
// no violation, no request to another origin, no inline script.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';
import { launchChromium } from './support/browser.ts';

const strictPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

let service: TestService;
let browser: Browser;
let page: Page;
/** What the page reported: CSP violations (from the document's securitypolicyviolation events), errors, requests. */
const violations: string[] = [];
const errors: string[] = [];
const requests: string[] = [];

beforeAll(async () => {
  service = await startTestService();
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
    if (m.text().startsWith('csp-violation ')) violations.push(m.text().slice('csp-violation '.length));
  });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => console.log(`csp-violation ${e.effectiveDirective} ${e.blockedURI}`));
  });
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await service?.close();
});

describe('/docs in Chromium', () => {
  it('renders every operation of /openapi.json under the strict policy, from this origin only', async () => {
    const res = await page.goto(`${service.url}/docs`);
    expect(res!.headers()['content-security-policy']).toBe(strictPolicy);
    const doc = (await service.call('GET', '/openapi.json', { token: null })).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    await page.locator('.opblock').first().waitFor();
    await expect.poll(() => page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.info .title').textContent()).toMatch(/^dm-policy/);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(`${service.url}/`))).toEqual([]);
  });

  it('runs a request from "Try it out" under the same policy', async () => {
    const session = page.locator('.opblock').filter({ has: page.locator('.opblock-summary-path[data-path="/v1/auth/session"]') });
    await session.locator('.opblock-summary-control').click();
    await session.locator('.try-out__btn').click();
    await session.locator('.execute').click();
    const response = session.locator('.live-responses-table .response');
    await response.first().waitFor();
    expect(await response.locator('.response-col_status').first().textContent()).toBe('200');
    expect(JSON.parse((await response.locator('.microlight').first().textContent())!)).toEqual({ signedIn: false, operator: null, csrfToken: null });
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests.filter((url) => !url.startsWith(`${service.url}/`))).toEqual([]);
    expect(requests.filter((url) => url.endsWith('/v1/auth/session'))).toEqual([`${service.url}/v1/auth/session`]);
  });
});
