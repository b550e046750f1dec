/**
 * Takes the README's screenshots of the dashboard: the demo world (2 000 accounts, 3 days, seed 42) on a
 * temporary database, a draft and a replay of it, then each main page in headless Chromium, saved as PNGs
 * beside this file. Run: npm run screenshots (it builds the dashboard first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedDemo } from '../../server/demo/populate.ts';
import { createService } from '../../server/service.ts';
import { launchChromium } from '../../test/e2e/support/browser.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const token = 'screenshots-admin-token-0123456789';
const password = 'screenshots-admin-password';
const viewport = { width: 1400, height: 900 };

const dir = mkdtempSync(join(tmpdir(), 'dm-policy-screenshots-'));
const service = await createService({
  port: 0, host: '127.0.0.1', databaseUrl: `file:${join(dir, 'demo.db')}`, preset: 'x-2023', clientClock: false,
  bootstrapToken: token, adminPassword: password, busyTimeoutMs: 10_000,
});
const { url } = await service.listen();

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(url + path, {
    method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

try {
  const demo = await seedDemo(service, { accounts: 2000, days: 3, seed: 42 });
  console.log(`demo world: ${demo.attempts} attempts, ${demo.from} → ${demo.to}`);
  await call('POST', '/v1/policies/dm/versions', { from: 'x-2023', version: 'x-2023-tighter', reason: 'try a lower cap for heavy senders' });
  await call('PATCH', '/v1/policies/dm/versions/x-2023-tighter', { parameters: { dailyLimit: 300 }, reason: 'heavy senders burst past 300 a day' });
  const replay = await call('POST', '/v1/backtests', { kind: 'replay', version: 'x-2023-tighter', from: demo.from, to: demo.to });
  while ((await call('GET', `/v1/backtests/${replay.id}`)).status !== 'done') await new Promise((resolve) => setTimeout(resolve, 200));
  const [capped] = (await call('GET', '/v1/decisions?reason=daily_limit&limit=1')).items;

  const browser = await launchChromium();
  const context = await browser.newContext({ viewport, locale: 'en-US', timezoneId: 'UTC' });
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`page error: ${err.message}`));
  await page.goto(`${url}/`);
  await page.getByLabel('Username').fill('admin');
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Pages' }).waitFor();

  const shots: Array<{ file: string; hash: string; ready: () => Promise<unknown> }> = [
    { file: 'overview.png', hash: '#/overview?period=week', ready: () => page.getByRole('table', { name: 'Top reasons' }).getByRole('link').first().waitFor() },
    { file: 'investigations.png', hash: '#/investigations?account=spam-019', ready: () => page.getByRole('table', { name: 'Decisions' }).getByRole('link', { name: 'Explain' }).first().waitFor() },
    { file: 'explanation.png', hash: `#/investigations/${capped.id}?reason=daily_limit`, ready: () => page.getByRole('region', { name: 'Explanation' }).getByText('deciding rule').first().waitFor() },
    {
      file: 'simulator.png', hash: '#/simulator?sender=heavy-001&recipients=user-0042&text=see%20you%20at%206&version=x-2023&compare=x-2023-tighter&fact=quota.dailyUsed%3A400',
      ready: () => page.getByRole('region', { name: 'Decision by x-2023-tighter' }).waitFor(),
    },
    { file: 'audit.png', hash: '#/audit', ready: () => page.getByRole('table', { name: 'Audit log' }).getByText('draft.edit').waitFor() },
    { file: 'backtest.png', hash: `#/backtests?id=${replay.id}`, ready: () => page.getByRole('table', { name: 'Senders most affected' }).waitFor() },
  ];
  for (const shot of shots) {
    await page.goto(`${url}/${shot.hash}`);
    await shot.ready();
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: join(here, shot.file) });
    console.log(`docs/screenshots/${shot.file}: ${shot.hash}`);
  }
  await browser.close();
} finally {
  await service.close();
  rmSync(dir, { recursive: true, force: true });
}
