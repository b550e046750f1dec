/** Hash-based routes: `#/page?key=value`, so the service serves one index.html for every page. */

export const pages = ['overview', 'policies', 'simulator', 'investigations', 'experiments', 'backtests', 'operators'] as const;
export type Page = (typeof pages)[number];

export interface Route { page: Page; params: URLSearchParams }

export function parseHash(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = (pages as readonly string[]).includes(path) ? (path as Page) : 'overview';
  return { page, params: new URLSearchParams(search) };
}

/** The link to a page, e.g. `href('investigations', { account: 'u1' })` → `#/investigations?account=u1`. */
export function href(page: Page, params: Record<string, string> = {}): string {
  const search = new URLSearchParams(params).toString();
  return `#/${page}${search ? `?${search}` : ''}`;
}
