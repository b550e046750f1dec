/** Serves the built dashboard (dist/dashboard, made by `npm run build`) beside the API. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

export interface DashboardOptions {
  /** The Vite build's output folder; default dist/dashboard at the project's root. */
  dir?: string;
}

const defaultDir = fileURLToPath(new URL('../dist/dashboard', import.meta.url));

/** Vite names assets by content hash, so a name never changes meaning: cache it for good. */
const immutable = (_path: string, c: Context) => { c.header('Cache-Control', 'public, max-age=31536000, immutable'); };
/** index.html names the current assets: always revalidate it. */
const revalidate = (_path: string, c: Context) => { c.header('Cache-Control', 'no-cache'); };

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>dm-policy</title></head>
<body><h1>dm-policy</h1><p>The dashboard is not built: run <code>npm run build</code> (or start with <code>npm start</code>), then reload.</p>
<p>The API is served under <a href="/docs">/docs</a>.</p></body></html>`;

/**
 * The dashboard's routes: index.html at `/` and `/dashboard` (its pages are hash routes), the
 * hashed assets under `/assets/*`. Without a build, `/` says how to make one.
 * @example app.route('/', dashboardRoutes())
 */
export function dashboardRoutes(options: DashboardOptions = {}) {
  const dir = options.dir ?? defaultDir;
  const index = join(dir, 'index.html');
  const app = new Hono();

  // Paths are absolute, so serveStatic resolves nothing against the working directory.
  app.get('/assets/*', serveStatic({ rewriteRequestPath: (path) => join(dir, path), onFound: immutable }));
  const page = serveStatic({ path: index, onFound: revalidate });
  const built: MiddlewareHandler = async (c, next) => {
    if (!existsSync(index)) return c.html(notBuiltPage);
    await next();
  };
  app.get('/', built, page);
  app.get('/dashboard', built, page);
  return app;
}
