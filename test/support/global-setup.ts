/**
 * Runs once before every test file: builds the dashboard, so that browser tests in several files
 * (run in parallel forks) serve one finished build instead of racing to empty and rewrite dist/.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export default async function buildDashboardOnce(): Promise<void> {
  await build({ configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)), logLevel: 'error' });
}
