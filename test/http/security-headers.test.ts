// Issue 14 D: every answer carries the security headers — a strict Content-Security-Policy, no
// framing, no MIME sniffing, no referrer — /docs included, whose Swagger UI is served from this origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

const strictPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

describe('security headers', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService(); });
  afterAll(async () => { await s.close(); });

  const headersOf = async (path: string, init: RequestInit = {}) => (await fetch(s.url + path, init)).headers;

  function expectCommon(headers: Headers) {
    expect(headers.get('x-frame-options')).toBe('DENY');
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(headers.get('referrer-policy')).toBe('no-referrer');
    expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  }

  it('the dashboard (/) is never framed and loads nothing from elsewhere', async () => {
    const headers = await headersOf('/');
    expect(headers.get('content-security-policy')).toBe(strictPolicy);
    expectCommon(headers);
  });

  it('an API answer, and an API refusal, carry the same headers', async () => {
    const ok = await headersOf('/v1/auth/me', { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    const refused = await headersOf('/v1/auth/me');
    for (const headers of [ok, refused]) {
      expect(headers.get('content-security-policy')).toBe(strictPolicy);
      expectCommon(headers);
    }
  });

  it('an answer made without a Node server (app.request) carries them too', async () => {
    const res = await s.service.app.request('/v1/auth/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-security-policy')).toBe(strictPolicy);
    expectCommon(res.headers);
  });

  it('/docs lives under the same strict policy: its scripts are the service\'s own files, none inline', async () => {
    const res = await fetch(`${s.url}/docs`);
    const html = await res.text();
    expect(res.headers.get('content-security-policy')).toBe(strictPolicy);
    expectCommon(res.headers);
    const scripts = [...html.matchAll(/<script\b[^>]*>[^<]*<\/script>/g)].map(([tag]) => tag);
    expect(scripts).toEqual(['<script src="/docs/assets/swagger-ui-bundle.js"></script>', '<script src="/docs/assets/initializer.js"></script>']);
    for (const asset of ['/docs/assets/swagger-ui-bundle.js', '/docs/assets/initializer.js', '/docs/assets/swagger-ui.css']) {
      const served = await headersOf(asset);
      expect(served.get('content-security-policy'), asset).toBe(strictPolicy);
      expect(served.get('x-content-type-options'), asset).toBe('nosniff');
    }
  });
});
