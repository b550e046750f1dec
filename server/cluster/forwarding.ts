/**
 * Decisions for senders another instance owns, sent to that instance (its peer server,
 * server/cluster/peer-server.ts) and answered as if made here. Those that arrive in the same turn of
 * the event loop for the same instance travel in one request: a forwarded decision costs its share
 * of an HTTP exchange, not one of its own, and they land in the owner's same writer batch.
 */
import { StorageBusy } from '../../db/writer.ts';
import type { DecisionResponse, SendRequest } from '../decisions/request.ts';
import { ApiError, type ErrorBody } from '../http/errors.ts';
import type { Peer } from './ownership.ts';
import { connectionRefused, postToPeer } from './peer-client.ts';

/** How long forwarded decisions may take: the owner's writer waits a locked database out for up to its busy timeout. */
const forwardTimeoutMs = 30_000;

/**
 * The instance asked does not decide for this sender (any more): its lease moved, or it is not
 * listening. Nothing was recorded; the caller finds the owner again. A client never sees it unless
 * no instance takes the shard (then it is answered 421).
 */
export class NotOwner extends ApiError {
  constructor(message: string) {
    super(421, 'not_owner', message);
  }
}

/** One forwarded decision, as sent. */
export interface ForwardedDecision {
  request: SendRequest;
  now: number;
}

/** The owner's answer to one forwarded decision. */
export type ForwardedAnswer = { response: DecisionResponse } | { status: number; error: ErrorBody['error'] };

/** An error answer as the error the owner threw: NotOwner, StorageBusy or an ApiError. */
export function answerError(status: number, error: ErrorBody['error']): Error {
  const { code, message, path, ...details } = error;
  if (status === 421) return new NotOwner(message);
  if (code === 'storage_busy') return new StorageBusy(Number(details.waitedMs ?? 0), null, message);
  return new ApiError(status as ApiError['status'], code, message, path, details);
}

interface Pending {
  decision: ForwardedDecision;
  resolve: (response: DecisionResponse) => void;
  reject: (error: unknown) => void;
}

export class Forwarder {
  private readonly queues = new Map<string, { peer: Peer; pending: Pending[] }>();

  forward(peer: Peer, request: SendRequest, now: number): Promise<DecisionResponse> {
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(peer.id);
      if (!queue) {
        this.queues.set(peer.id, (queue = { peer, pending: [] }));
        setImmediate(() => void this.flush(peer.id));
      }
      queue.pending.push({ decision: { request, now }, resolve, reject });
    });
  }

  private async flush(peerId: string): Promise<void> {
    const { peer, pending } = this.queues.get(peerId)!;
    this.queues.delete(peerId);
    let answer: { status: number; body: { answers?: ForwardedAnswer[]; error?: ErrorBody['error'] } };
    try {
      answer = await postToPeer(peer, '/decisions', { decisions: pending.map((p) => p.decision) }, forwardTimeoutMs);
    } catch (error) {
      // Refused: they never reached the instance, so asking the next owner cannot record them twice.
      const failure = connectionRefused(error)
        ? new NotOwner(`instance ${peer.id} is not listening`)
        : new StorageBusy(0, error, 'the instance deciding for this sender did not answer: the send may or may not be recorded; send the request again (with the same idempotency key, if it had one)');
      for (const p of pending) p.reject(failure);
      return;
    }
    if (answer.status !== 200 || !answer.body.answers) {
      const failure = answerError(answer.status, answer.body.error ?? { code: 'internal', message: `instance ${peer.id} answered ${answer.status}`, path: null });
      for (const p of pending) p.reject(failure);
      return;
    }
    answer.body.answers.forEach((a, i) => {
      if ('response' in a) pending[i].resolve(a.response);
      else pending[i].reject(answerError(a.status, a.error));
    });
  }
}
