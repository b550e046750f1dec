/**
 * Hono's default router, with the answers for the paths asked most recently kept when no route they
 * match takes a parameter (`POST /v1/sends`, `/metrics`, the dashboard's lists).
 *
 * Why: the app runs on Hono's trie router (its RegExpRouter refuses the X API's
 * `/2/dm_conversations/with/:participant_id/…` beside `/2/dm_conversations/:dm_conversation_id/…`),
 * which walks its tree and collects and sorts every matching handler — each `app.use('*')` among
 * them — for every request: ~3 µs and ~4.7 KiB of garbage a decision (bench/RESULTS.md, session 9).
 * A match without parameters is the same for every request to that method and path, and the
 * router never changes once it has matched (Hono refuses routes added after that).
 */
import type { Result, Router } from 'hono/router';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { SmartRouter } from 'hono/router/smart-router';
import { TrieRouter } from 'hono/router/trie-router';

/** How many matches are kept: requests to ever-new paths (a scan of unknown URLs) only push the oldest out. */
const keptMatches = 64;

export class StaticMatchCache<T> implements Router<T> {
  private readonly kept = new Map<string, Result<T>>();

  /** `inner`: Hono's default router unless given (tests count its matches). */
  constructor(private readonly inner: Router<T> = new SmartRouter({ routers: [new RegExpRouter(), new TrieRouter()] })) {}

  get name(): string {
    return `${this.inner.name}, static matches kept`;
  }

  add(method: string, path: string, handler: T): void {
    this.inner.add(method, path, handler);
  }

  match(method: string, path: string): Result<T> {
    const key = `${method} ${path}`;
    const kept = this.kept.get(key);
    if (kept) return kept;
    const result = this.inner.match(method, path);
    if (takesNoParameters(result)) {
      if (this.kept.size >= keptMatches) this.kept.delete(this.kept.keys().next().value!);
      this.kept.set(key, result);
    }
    return result;
  }
}

/**
 * Whether no handler of a match was given a parameter: the trie router's form ([handler, params]
 * pairs); the regular-expression router's (with a parameter stash) keeps its own matches already.
 */
function takesNoParameters<T>(result: Result<T>): boolean {
  if (result.length !== 1) return false;
  for (const [, params] of result[0]) {
    for (const _ in params as Record<string, unknown>) return false;
  }
  return true;
}
