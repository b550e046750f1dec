/**
 * Hash-based routes: `#/page/segment?key=value`, so the service serves one index.html for every page
 * and every view — a search's filters, a decision, a period, a report — has a URL of its own.
 */

export const pages = ['overview', 'policies', 'simulator', 'investigations', 'audit', 'experiments', 'backtests', 'operators'] as const;
export type Page = (typeof pages)[number];

export const pageTitles: Record<Page, string> = {
  overview: 'Overview', policies: 'Policies', simulator: 'Simulator', investigations: 'Investigations', audit: 'Audit',
  experiments: 'Experiments', backtests: 'Backtests', operators: 'Operators',
};

export interface Route {
  /** The hash as it was, e.g. `#/investigations?account=u1`. */
  hash: string;
  /** null: the hash names no page (the shell says so). */
  page: Page | null;
  /** What follows the page in the path, e.g. a decision's id in `#/investigations/<id>`. */
  segments: string[];
  params: URLSearchParams;
}

/** A path segment as written, when it isn't valid percent-encoding. */
function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function parseHash(hash: string): Route {
  const [path, search = ''] = hash.replace(/^#\/?/, '').split('?');
  const [first = '', ...segments] = path.split('/').map(decode);
  const page = first === '' ? 'overview' : (pages as readonly string[]).includes(first) ? (first as Page) : null;
  return { hash, page, segments: page ? segments.filter(Boolean) : [], params: new URLSearchParams(search) };
}

type Params = Record<string, string | undefined | null> | URLSearchParams;

/** Only the parameters with a value, so a cleared filter leaves the URL. */
function searchOf(params: Params): string {
  const entries = params instanceof URLSearchParams ? [...params] : Object.entries(params);
  const kept = entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== null && e[1] !== '');
  const search = new URLSearchParams(kept).toString();
  return search ? `?${search}` : '';
}

/**
 * The link to a page, e.g. `href('investigations', { account: 'u1' })` → `#/investigations?account=u1`,
 * `href('investigations', {}, [id])` → `#/investigations/<id>`.
 */
export function href(page: Page, params: Params = {}, segments: string[] = []): string {
  const path = [page, ...segments.map(encodeURIComponent)].join('/');
  return `#/${path}${searchOf(params)}`;
}

/** Goes to a URL as a new history entry (a search submitted, a report opened). */
export function navigate(url: string): void {
  location.hash = url;
}

/**
 * Rewrites the current URL without a history entry (inputs as they are typed, a default made explicit);
 * the shell still hears of it, so the page and the URL never disagree.
 */
export function replace(url: string): void {
  if (location.hash === url) return;
  history.replaceState(history.state, '', url);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
