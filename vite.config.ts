import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  plugins: [svelte()],
  // The dashboard is the Vite app; `npm run dev:dashboard` proxies the API to a service on 8787.
  root: 'dashboard',
  build: { outDir: '../dist/dashboard', emptyOutDir: true },
  server: { proxy: { '/v1': 'http://127.0.0.1:8787' } },
  test: {
    root: projectRoot,
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
