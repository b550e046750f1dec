/** What every dashboard test shares: Debian's Chromium (never a downloaded one), launched headless. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** Launches headless Chromium; a missing browser fails the suite with the command that installs it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`the dashboard tests drive Debian's Chromium at ${chromiumPath}, which is missing: install it with\n  apt-get update && apt-get install -y chromium`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}
