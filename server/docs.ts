/**
 * The browsable API reference at /docs: Swagger UI served from the installed swagger-ui-dist
 * package, so it works offline and behind a firewall (no CDN, no inline script, no validator call),
 * under the strict Content-Security-Policy every answer carries (server/http/security-headers.ts).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';

const distDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The only files served from the package, with their types. */
const assets: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
};

/**
 * Starts Swagger UI on the document the page names; a file of its own, so that a strict CSP can
 * forbid inline scripts.
 */
const initializer = `window.onload = function () {
  var root = document.getElementById('swagger-ui');
  window.ui = SwaggerUIBundle({ url: root.dataset.openapi, domNode: root, deepLinking: true, validatorUrl: null });
};
`;

const page = (title: string) => `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>${title}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/assets/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui" data-openapi="/openapi.json"></div>
  <script src="/docs/assets/swagger-ui-bundle.js"></script>
  <script src="/docs/assets/initializer.js"></script>
</body>
</html>
`;

/** @example app.route('/', docsRoutes())  // GET /docs */
export function docsRoutes(title = 'dm-policy API') {
  const app = new Hono();
  // Read once: the files belong to the installed package version and never change while it runs.
  const files = new Map(Object.keys(assets).map((name) => [name, readFileSync(join(distDir, name))]));
  const html = page(title);
  app.get('/docs', (c) => c.html(html));
  app.get('/docs/assets/initializer.js', (c) => c.body(initializer, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/docs/assets/:name', (c) => {
    const name = c.req.param('name');
    const file = files.get(name);
    if (!file) return c.notFound();
    return c.body(new Uint8Array(file), 200, { 'content-type': assets[name], 'cache-control': 'public, max-age=86400' });
  });
  return app;
}
