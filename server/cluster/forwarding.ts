/**
 * A decision for a sender another instance owns, sent to that instance (its peer server,
 * server/cluster/peer-server.ts) and answered as if made here.
 */
import { StorageBusy } from '../../db/writer.ts';
import type { DecisionResponse, SendRequest } from '../decisions/request.ts';
import { ApiError } from '../http/errors.ts';
import type { Peer } from './ownership.ts';

/** The header a forwarded decision carries the receiving instance's secret in. */
export const peerSecretHeader = 'x-dm-policy-peer';

/** How long a forwarded decision may take: the owner's writer waits a locked database out for up to its busy timeout. */
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

/** The body of a forwarded decision. */
export interface ForwardedDecision {
  request: SendRequest;
  now: number;
}

export async function forwardDecision(peer: Peer, request: SendRequest, now: number): Promise<DecisionResponse> {
  let res: Response;
  try {
    res = await fetch(`${peer.url}/decisions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [peerSecretHeader]: peer.secret },
      body: JSON.stringify({ request, now } satisfies ForwardedDecision),
      signal: AbortSignal.timeout(forwardTimeoutMs),
    });
  } catch (error) {
    // Refused: it never reached the instance, so asking the next owner cannot record it twice.
    if (causeCode(error) === 'ECONNREFUSED') throw new NotOwner(`instance ${peer.id} is not listening`);
    throw new StorageBusy(0, error, 'the instance deciding for this sender did not answer: the send may or may not be recorded; send the request again (with the same idempotency key, if it had one)');
  }
  const body = await res.json() as { response?: DecisionResponse; error?: { code: string; message: string; path: string | null; [detail: string]: unknown } };
  if (res.status === 200) return body.response!;
  const { code, message, path, ...details } = body.error!;
  if (res.status === 421) throw new NotOwner(message);
  if (code === 'storage_busy') throw new StorageBusy(Number(details.waitedMs ?? 0), null, message);
  throw new ApiError(res.status as ApiError['status'], code, message, path, details);
}

function causeCode(error: unknown): string | undefined {
  for (let e: any = error, depth = 0; e && depth < 5; e = e.cause, depth++) if (e.code) return String(e.code);
  return undefined;
}
