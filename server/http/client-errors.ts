/**
 * Requests Node's HTTP parser refuses before the app sees them (oversized headers, a broken request
 * line or framing, a request too slow to arrive) answered in the one error shape, where it can be.
 */
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { errorBody } from './errors.ts';

interface Refusal { status: number; reason: string; code: string; message: string; path: string | null }

/** Node's own choice of status for each parser error (its default clientError answer), with our code and message. */
function refusalOf(errorCode: string | undefined): Refusal {
  switch (errorCode) {
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, reason: 'Request Header Fields Too Large', code: 'headers_too_large', message: 'the request line and headers together exceed the 16 KiB the server reads', path: 'headers' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { status: 413, reason: 'Payload Too Large', code: 'payload_too_large', message: 'chunk extensions exceed what the server reads', path: 'body' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { status: 408, reason: 'Request Timeout', code: 'request_timeout', message: 'the request did not arrive in time', path: null };
    default:
      return { status: 400, reason: 'Bad Request', code: 'bad_request', message: `the request is not well-formed HTTP/1.1 (${errorCode ?? 'parse error'})`, path: null };
  }
}

/**
 * The server's 'clientError' listener. Like Node's default, it answers only while nothing has been
 * written on the connection (a parse error after a response on a kept-alive connection just closes
 * it), then closes the connection: the parser cannot find where the next request would start.
 * @example server.on('clientError', answerClientError)
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || (socket as Socket).bytesWritten > 0) {
    socket.destroy();
    return;
  }
  const refusal = refusalOf(error.code);
  const body = JSON.stringify(errorBody(refusal.code, refusal.message, refusal.path));
  socket.end([
    `HTTP/1.1 ${refusal.status} ${refusal.reason}`,
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
    'X-Content-Type-Options: nosniff',
    'Connection: close',
    '',
    body,
  ].join('\r\n'), () => socket.destroy());
}
