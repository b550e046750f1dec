/**
 * Requests from one instance to another's peer server (server/cluster/peer-server.ts): JSON over
 * HTTP/1.1 on kept-alive connections of node:http's own. (The global fetch cost a forwarded decision
 * several times the CPU of deciding it.)
 */
import { Agent, request } from 'node:http';
import type { Peer } from './ownership.ts';

/** The header a request to a peer carries the receiving instance's secret in. */
export const peerSecretHeader = 'x-dm-policy-peer';

const agent = new Agent({ keepAlive: true, maxSockets: 16 });

/** The peer's status and JSON answer; throws what the connection threw (see connectionRefused). */
export function postToPeer(peer: Peer, path: string, body: unknown, timeoutMs: number): Promise<{ status: number; body: any }> {
  const payload = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(`${peer.url}${path}`, {
      method: 'POST', agent, timeout: timeoutMs,
      headers: { 'content-type': 'application/json', 'content-length': payload.length, [peerSecretHeader]: peer.secret },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from instance ${peer.id} within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** Whether a request failed because nothing listened at the address: it never reached a peer. */
export function connectionRefused(error: unknown): boolean {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) if (e.code === 'ECONNREFUSED') return true;
  return false;
}
