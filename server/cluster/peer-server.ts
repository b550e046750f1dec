/**
 * Where the other instances on a shared libSQL server send the decisions of senders this one owns: a
 * plain HTTP server of its own (not the public app: it takes no tokens, only the secret this instance
 * published in `instances`), on the service's host and `peerPort`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { StorageBusy } from '../../db/writer.ts';
import type { DecisionResponse, SendRequest } from '../decisions/request.ts';
import { ApiError, errorBody } from '../http/errors.ts';
import { peerSecretHeader, type ForwardedDecision } from './forwarding.ts';

/** Decides a forwarded request here, or throws NotOwner. */
export type DecideHere = (request: SendRequest, now: number) => Promise<DecisionResponse>;

const maxBodyBytes = 1 << 20;

export interface PeerServer {
  url: string;
  close(): Promise<void>;
}

export function startPeerServer(host: string, port: number, secret: string, decide: DecideHere): Promise<PeerServer> {
  const expected = Buffer.from(secret);
  const server: Server = createServer((req, res) => void answer(req, res));
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = Buffer.from(String(req.headers[peerSecretHeader] ?? ''));
    if (req.method !== 'POST' || req.url !== '/decisions') return reply(res, 404, errorBody('not_found', 'only POST /decisions is served here'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(res, 401, errorBody('unauthorized', 'not a peer of this instance'));
    let forwarded: ForwardedDecision;
    try {
      forwarded = JSON.parse(await readBody(req)) as ForwardedDecision;
    } catch (error) {
      return reply(res, 400, errorBody('invalid_json', (error as Error).message, 'body'));
    }
    try {
      reply(res, 200, { response: await decide(forwarded.request, forwarded.now) });
    } catch (error) {
      if (error instanceof ApiError) return reply(res, error.status, errorBody(error.code, error.message, error.path, error.details));
      if (error instanceof StorageBusy) return reply(res, 503, errorBody('storage_busy', error.message, null, { waitedMs: error.waitedMs }));
      console.error('forwarded decision failed', error);
      reply(res, 500, errorBody('internal', 'internal error'));
    }
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
