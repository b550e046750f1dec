/**
 * Where a decision's sender, pair and duplicate state comes from: the database (a libSQL server
 * shared by instances, or a what-if check) or the writer's in-memory copy (hot-state.ts).
 */
import type { Executor } from '../../db/client.ts';
import { loadFingerprintTargets, loadPairState, loadSenderState, type PairState, type SenderState } from '../../db/stores/decision-state.ts';

export interface SenderQuery {
  senderId: string;
  appId: string | null;
  now: number;
  /** Where the daily window, the 15-minute and the 24-hour API windows start (inclusive). */
  dailySince: number;
  since15m: number;
  since24h: number;
}

export interface DecisionStateSource {
  sender(db: Executor, q: SenderQuery): Promise<SenderState>;
  pair(db: Executor, senderId: string, recipientId: string): Promise<PairState>;
  /** Targets (recipients or conversations) that got each fingerprint from the sender since `since`. */
  fingerprintTargets(db: Executor, senderId: string, fingerprints: string[], since: number, now: number): Promise<Map<string, Set<string>>>;
}

export const databaseState: DecisionStateSource = {
  sender: loadSenderState,
  pair: loadPairState,
  fingerprintTargets: (db, senderId, fingerprints, since) => loadFingerprintTargets(db, senderId, fingerprints, since),
};
