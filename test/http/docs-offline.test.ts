/** /docs works offline: its page names only the service's own assets, and the service serves each of them. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

const distDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

describe('/docs offline', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService(); });
  afterAll(async () => { await s?.close(); });

  it('the page references only local assets, and loads the service\'s own /openapi.json', async () => {
    const res = await s.call('GET', '/docs', { token: null });
    expect(res.status).toBe(200);
    const html = String(res.body);
    const references = [...html.matchAll(/\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(references).toEqual([
      '/docs/assets/swagger-ui.css', '/docs/assets/favicon-32x32.png', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/initializer.js',
    ]);
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>/);
    const init = await fetch(`${s.url}/docs/assets/initializer.js`);
    expect(init.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await init.text();
    expect(html).toContain('<div id="swagger-ui" data-openapi="/openapi.json"></div>');
    expect(code).toContain('url: root.dataset.openapi');
    expect(code).toContain('validatorUrl: null');
  });

  it('serves each asset byte for byte from the installed swagger-ui-dist, and nothing else from it', async () => {
    for (const [name, type] of [['swagger-ui.css', 'text/css; charset=utf-8'], ['swagger-ui-bundle.js', 'text/javascript; charset=utf-8'], ['favicon-32x32.png', 'image/png']]) {
      const res = await fetch(`${s.url}/docs/assets/${name}`);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-type')).toBe(type);
      expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(join(distDir, name))), name).toBe(true);
    }
    expect((await fetch(`${s.url}/docs/assets/package.json`)).status).toBe(404);
    expect((await fetch(`${s.url}/docs/assets/..%2Fpackage.json`)).status).toBe(404);
  });
});
