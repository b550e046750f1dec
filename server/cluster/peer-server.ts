/**
 * Where the other instances on a shared libSQL server reach this one: the decisions of senders it
 * owns (POST /decisions), and, where it is the journal's writer, their decided batches' statements
 * (POST /statements, server/cluster/journal.ts). A plain HTTP server of its own — not the public
 * app: it takes no tokens, only the secret this instance published in `instances`, which only holders
 * of the database's own credentials can read — on the service's host and `peerPort`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { hostname } from 'node:os';
import { StorageBusy } from '../../db/writer.ts';
import type { Statement } from '../../db/statements.ts';
import type { DecisionResponse, SendRequest } from '../decisions/request.ts';
import { ApiError, errorBody } from '../http/errors.ts';
import type { ForwardedAnswer, ForwardedDecision } from './forwarding.ts';
import { peerSecretHeader } from './peer-client.ts';

/** What the peer server serves. */
export interface PeerHandlers {
  /** Decides a forwarded request here, or throws NotOwner. */
  decide(request: SendRequest, now: number): Promise<DecisionResponse>;
  /** Runs another instance's decided batch in this one's writer (Writer.runForPeer). */
  run(statements: Statement[]): Promise<unknown[][][]>;
}

const maxBodyBytes = 1 << 20;

export interface PeerServer {
  url: string;
  close(): Promise<void>;
}

/** The peer server's address as others reach it: `advertised`, or this host's (its name, when listening on every interface). */
export function peerAddress(host: string, port: number, advertised: string | undefined): string {
  if (advertised) return advertised.replace(/\/+$/, '');
  const reachable = host === '0.0.0.0' || host === '::' ? hostname() : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

export function startPeerServer(host: string, port: number, secret: string, handlers: PeerHandlers, advertised?: string): Promise<PeerServer> {
  const expected = Buffer.from(secret);
  const server: Server = createServer((req, res) => void answer(req, res));
  const reply = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  };

  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const given = Buffer.from(String(req.headers[peerSecretHeader] ?? ''));
    const route = req.method === 'POST' ? req.url : null;
    if (route !== '/decisions' && route !== '/statements') return reply(res, 404, errorBody('not_found', 'only POST /decisions and /statements are served here'));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return reply(res, 401, errorBody('unauthorized', 'not a peer of this instance'));
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      return reply(res, 400, errorBody('invalid_json', (error as Error).message, 'body'));
    }
    if (route === '/decisions') {
      // Decided together: they join the same writer batch.
      const { decisions } = body as { decisions: ForwardedDecision[] };
      const answers = await Promise.all(decisions.map((d) => handlers.decide(d.request, d.now).then(
        (response): ForwardedAnswer => ({ response }),
        (error: unknown): ForwardedAnswer => ({ status: statusOf(error), error: errorBody(...errorParts(error)).error }),
      )));
      return reply(res, 200, { answers });
    }
    try {
      reply(res, 200, { results: await handlers.run((body as { statements: Statement[] }).statements) });
    } catch (error) {
      reply(res, statusOf(error), errorBody(...errorParts(error)));
    }
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: peerAddress(host, bound, advertised),
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

/** The status an error answers with: an ApiError's own, 503 for a locked database, else 500. */
function statusOf(error: unknown): number {
  return error instanceof ApiError ? error.status : error instanceof StorageBusy ? 503 : 500;
}

function errorParts(error: unknown): Parameters<typeof errorBody> {
  if (error instanceof ApiError) return [error.code, error.message, error.path, error.details];
  if (error instanceof StorageBusy) return ['storage_busy', error.message, null, { waitedMs: error.waitedMs }];
  console.error('a peer\'s request failed', error);
  return ['internal', 'internal error', null, {}];
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
