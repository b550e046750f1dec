// Issue 14 C: what Node's HTTP parser refuses before the app sees it — oversized headers, a broken
// request line, broken framing — still answers in the one error shape, with Node's status.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestService, type TestService } from '../support/service.ts';

interface RawAnswer { statusLine: string; headers: Record<string, string>; body: unknown }

/** Writes `request` as bytes on a fresh connection and reads the answer until the server closes it. */
function exchange(url: string, request: string): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const [head, body] = [text.slice(0, text.indexOf('\r\n\r\n')), text.slice(text.indexOf('\r\n\r\n') + 4)];
      const [statusLine, ...lines] = head.split('\r\n');
      const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      let parsed: unknown = body;
      try { parsed = JSON.parse(body); } catch { /* an empty or non-JSON body: compared as text */ }
      resolve({ statusLine, headers, body: parsed });
    });
    socket.write(request);
  });
}

describe('requests refused by the HTTP parser', () => {
  let s: TestService;
  beforeAll(async () => { s = await startTestService(); });
  afterAll(async () => { await s.close(); });

  it('headers beyond 16 KiB → 431 headers_too_large at headers, as JSON', async () => {
    const answer = await exchange(s.url, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: ${'a'.repeat(20 * 1024)}\r\n\r\n`);
    expect(answer.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.headers.connection).toBe('close');
    expect(answer.body).toEqual({ error: { code: 'headers_too_large', message: 'the request line and headers together exceed the 16 KiB the server reads', path: 'headers' } });
  });

  it('a broken request line → 400 bad_request, as JSON', async () => {
    const answer = await exchange(s.url, 'NOT AN HTTP REQUEST\r\n\r\n');
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.headers['content-type']).toBe('application/json');
    expect(answer.body).toEqual({ error: { code: 'bad_request', message: 'the request is not well-formed HTTP/1.1 (HPE_INVALID_METHOD)', path: null } });
  });

  it('broken framing (a Content-Length that is no number) → 400 bad_request, as JSON', async () => {
    const answer = await exchange(s.url, 'POST /v1/sends HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: twelve\r\n\r\n{}');
    expect(answer.statusLine).toBe('HTTP/1.1 400 Bad Request');
    expect(answer.body).toEqual({ error: { code: 'bad_request', message: 'the request is not well-formed HTTP/1.1 (HPE_INVALID_CONTENT_LENGTH)', path: null } });
  });

  it('the connection still serves a well-formed request (the listener touches only refused ones)', async () => {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });
});
