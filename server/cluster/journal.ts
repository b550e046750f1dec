/**
 * One writer for the journal: where instances share a libSQL server, each one's decided batches (what
 * it reads of the others' records, then its guarded append: db/writer.ts) are run by the writer of
 * one instance — the live one whose id sorts first (server/cluster/ownership.ts) — over that
 * instance's connection. The server hands its write lock from one connection to another slowly: in
 * `npm run bench:sqld-contention` (bench/RESULTS.md), one-round-trip write transactions on two
 * connections at once did about a quarter of what one connection did alone, each waiting ~2.5 ms.
 * One connection writing never waits for it. The statements are the same wherever they run,
 * and the leases' guard still decides what is written.
 */
import type { Statement } from '../../db/statements.ts';
import { StorageBusy, type RemoteCommit } from '../../db/writer.ts';
import type { ErrorBody } from '../http/errors.ts';
import { answerError } from './forwarding.ts';
import { connectionRefused, postToPeer } from './peer-client.ts';
import type { SenderOwnership } from './ownership.ts';

/** How long a batch may wait for the journal's writer: it waits a locked database out for up to its busy timeout. */
const journalTimeoutMs = 30_000;

/**
 * Sends a decided batch's statements to the journal's writer and answers their rows; null (run them
 * here) where this instance writes the journal, or where the writer is not listening (nothing was
 * sent, so nothing can be written twice). Any other failure fails the batch: it may have committed,
 * and the state is rebuilt from what did.
 */
export function journalThroughLeader(ownership: SenderOwnership): RemoteCommit {
  return async (statements: Statement[]) => {
    const writer = ownership.journal;
    if (!writer) return null;
    let answer: { status: number; body: { results?: unknown[][][]; error?: ErrorBody['error'] } };
    try {
      answer = await postToPeer(writer, '/statements', { statements }, journalTimeoutMs);
    } catch (error) {
      if (connectionRefused(error)) return null;
      // Lost on the way (the writer killed, a timeout): it may have committed. The state is rebuilt
      // from what did, and the caller may send again — with its idempotency key, it counts once.
      throw new StorageBusy(0, error, 'the instance writing the journal did not answer: the send may or may not be recorded; send the request again (with the same idempotency key, if it had one)');
    }
    // A locked database (StorageBusy) wrote nothing of the batch; anything else may have.
    if (answer.status !== 200) throw answerError(answer.status, answer.body.error ?? { code: 'internal', message: `the journal's writer answered ${answer.status}`, path: null });
    return answer.body.results!;
  };
}
