// The router's kept matches (server/http/static-match-cache.ts): a path whose routes take no
// parameter is matched once, a path with parameters every time, and paths never asked before only
// push the oldest kept match out.
import { describe, expect, it } from 'vitest';
import type { Result, Router } from 'hono/router';
import { TrieRouter } from 'hono/router/trie-router';
import { StaticMatchCache } from '../../server/http/static-match-cache.ts';

/** A trie router (the app's, since RegExpRouter refuses its routes) that counts its matches. */
function counted(): { router: Router<string>; matches: () => number } {
  const inner = new TrieRouter<string>();
  let matches = 0;
  return {
    router: { name: 'counted', add: (m, p, h) => inner.add(m, p, h), match: (m, p) => { matches++; return inner.match(m, p); } },
    matches: () => matches,
  };
}

const handlers = (result: Result<string>) => result[0].map(([handler, params]) => [handler, { ...(params as Record<string, string>) }]);

function routes(router: Router<string>): void {
  router.add('ALL', '*', 'headers');
  router.add('ALL', '/v1/*', 'auth');
  router.add('POST', '/v1/sends', 'send');
  router.add('GET', '/v1/accounts/:id', 'account');
}

describe('StaticMatchCache', () => {
  it('answers as the router it wraps, for paths with and without parameters', () => {
    const plain = new TrieRouter<string>();
    routes(plain);
    const { router } = counted();
    const cached = new StaticMatchCache(router);
    routes(cached);
    for (const [method, path] of [['POST', '/v1/sends'], ['POST', '/v1/sends'], ['GET', '/v1/accounts/a1'], ['GET', '/v1/accounts/a2'], ['GET', '/v1/sends'], ['GET', '/elsewhere']]) {
      expect(handlers(cached.match(method, path)), `${method} ${path}`).toEqual(handlers(plain.match(method, path)));
    }
    expect(handlers(cached.match('GET', '/v1/accounts/a2'))).toEqual([['headers', {}], ['auth', {}], ['account', { id: 'a2' }]]);
  });

  it('matches a path without parameters once per method, and one with parameters every time', () => {
    const { router, matches } = counted();
    const cached = new StaticMatchCache(router);
    routes(cached);
    for (let i = 0; i < 5; i++) cached.match('POST', '/v1/sends');
    expect(matches()).toBe(1);
    cached.match('GET', '/v1/sends');
    expect(matches()).toBe(2);
    for (let i = 0; i < 5; i++) cached.match('GET', `/v1/accounts/a${i % 2}`);
    expect(matches()).toBe(7);
  });

  it('keeps at most 64 matches: a scan of unknown paths pushes the oldest out, and it is matched again', () => {
    const { router, matches } = counted();
    const cached = new StaticMatchCache(router);
    routes(cached);
    cached.match('POST', '/v1/sends');
    for (let i = 0; i < 64; i++) cached.match('GET', `/unknown/${i}`);
    expect(matches()).toBe(65);
    expect(handlers(cached.match('POST', '/v1/sends'))).toEqual([['headers', {}], ['auth', {}], ['send', {}]]);
    expect(matches()).toBe(66);
    cached.match('GET', '/unknown/63');
    expect(matches()).toBe(66);
  });
});
