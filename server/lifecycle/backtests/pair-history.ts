/**
 * Pairwise history for R5, R7 and R11: when a recipient last messaged the sender and how many replies
 * followed. A replay sees only its own window, so what happened before it comes from the logged facts.
 */
import { never } from '../../decisions/facts.ts';

export interface PairHistory {
  /** The latest delivered direct message from the recipient to the sender; null if none. */
  lastReceivedAt: number | null;
  /** Delivered direct messages from sender to recipient after `lastReceivedAt` (all of them if none). */
  replies: number;
}

const pairKey = (senderId: string, recipientId: string) => `${senderId}\n${recipientId}`;

/** Delivered direct messages as one world saw them, mirroring what `sends` answers in loadPairState. */
export class PairLedger {
  private readonly pairs = new Map<string, PairHistory>();

  get(senderId: string, recipientId: string): PairHistory | undefined {
    return this.pairs.get(pairKey(senderId, recipientId));
  }

  /** A direct message from `senderId` to `recipientId` was delivered at `at`. */
  delivered(senderId: string, recipientId: string, at: number): void {
    const out = this.entry(senderId, recipientId);
    if (out.lastReceivedAt === null || at > out.lastReceivedAt) out.replies++;
    const back = this.entry(recipientId, senderId);
    back.lastReceivedAt = at;
    back.replies = 0;
  }

  private entry(senderId: string, recipientId: string): PairHistory {
    const key = pairKey(senderId, recipientId);
    let entry = this.pairs.get(key);
    if (!entry) this.pairs.set(key, (entry = { lastReceivedAt: null, replies: 0 }));
    return entry;
  }
}

/** The relation facts a replay derives from pair history (the rest of `relation` is taken as logged). */
export interface PairFacts {
  priorConversation: boolean;
  receivedFromRecipient: boolean;
  lastReceivedAgeSeconds: number;
  repliesSinceReceived: number;
}

type LoggedRelation = Record<string, unknown>;

/**
 * The pair history that really happened: the deliveries the log records, and what each pair looked
 * like before the replay began (its baseline), read off the logged facts of the pair's first attempts.
 */
export class LoggedPairs {
  readonly ledger = new PairLedger();
  private readonly baselines = new Map<string, PairHistory>();
  private readonly accepted = new Set<string>();

  /** Learns from an attempt's logged facts, before anything it delivered is recorded. */
  observe(senderId: string, recipientId: string, relation: LoggedRelation, at: number): void {
    const key = pairKey(senderId, recipientId);
    const received = relation.receivedFromRecipient === true;
    // A prior conversation without a received message is an accepted request, and acceptances last.
    if (relation.priorConversation === true && !received) this.accepted.add(key);
    const seen = this.ledger.get(senderId, recipientId);
    if (seen?.lastReceivedAt != null) return; // the logged facts now include the window's own deliveries
    const age = Number(relation.lastReceivedAgeSeconds);
    const lastReceivedAt = received && Number.isFinite(age) && age < never ? Math.round(at - age * 1000) : null;
    this.baselines.set(key, { lastReceivedAt, replies: Math.max(0, Number(relation.repliesSinceReceived ?? 0) - (seen?.replies ?? 0)) });
  }

  /**
   * The pair facts in a world whose own deliveries are `world`: its latest message from the recipient
   * if it delivered one, else the baseline plus its own replies. When the world refused the messages
   * that really arrived and the pair was never seen before them, nothing older is known: "never".
   */
  factsIn(world: PairLedger, senderId: string, recipientId: string, now: number): PairFacts {
    const own = world.get(senderId, recipientId);
    let history: PairHistory;
    if (own?.lastReceivedAt != null) history = own;
    else {
      const baseline = this.baselines.get(pairKey(senderId, recipientId));
      history = { lastReceivedAt: baseline?.lastReceivedAt ?? null, replies: (baseline?.replies ?? 0) + (own?.replies ?? 0) };
    }
    const received = history.lastReceivedAt !== null;
    return {
      priorConversation: received || this.accepted.has(pairKey(senderId, recipientId)),
      receivedFromRecipient: received,
      lastReceivedAgeSeconds: received ? (now - history.lastReceivedAt!) / 1000 : never,
      repliesSinceReceived: history.replies,
    };
  }
}
