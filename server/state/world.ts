/**
 * The decision state held in memory: the social graph, groups, and every stateful rule family's
 * state (server/limits/), over account numbers. Deciding reads it; every recorded event updates it in
 * the order events were recorded (their sequence numbers); libSQL holds what it is rebuilt from
 * (server/state/rebuild.ts).
 */
import { Groups } from '../graph/groups.ts';
import { SocialGraph } from '../graph/social-graph.ts';
import { ApiWindows } from '../limits/api-windows.ts';
import { AppGrants } from '../limits/app-grants.ts';
import { DailyCap } from '../limits/daily-cap.ts';
import { DuplicateSpam, targetConversation, type Target } from '../limits/duplicate-spam.ts';
import { Exemptions } from '../limits/exemptions.ts';
import { PairFacts } from '../limits/pair-facts.ts';
import { PairHistory } from '../limits/pair-history.ts';
import { AccountNumbers, PairNumbers } from './numbering.ts';
import { Retention } from './retention.ts';

/** What one enforced decision left behind, as the rule families count it (the decision log holds it). */
export interface RecordedDecision {
  seq: number;
  at: number;
  senderId: string;
  appId: string | null;
  kind: 'direct' | 'group_create' | 'group_message' | 'group_invite';
  recipientIds: readonly string[];
  /** Delivered, to the inbox or to message requests. */
  admitted: boolean;
  /** The conversation it went to (or created, or invited to); null when nothing was delivered. */
  conversationId: string | null;
  /** It counts toward the daily cap (R10). */
  counted: boolean;
  /** It counts as an API request (R12). */
  apiRequest: boolean;
  /** The cooldown's new end when the attempt (re)started it (R14). */
  cooldownUntil: number | null;
  /** The message's fingerprints (R14), and where a delivery landed (null: not delivered, or an invite). */
  fingerprints: readonly string[];
  fingerprintTarget: string | null;
}

/** The rule families that count over windows, whose state a recorded decision moves on. */
export interface CounterFamilies {
  retention: Retention;
  dailyCap: DailyCap;
  apiWindows: ApiWindows;
  duplicateSpam: DuplicateSpam;
}

/** What a recorded decision gives the counting families; `sender` is its account number. */
export type CountedEvent = Pick<RecordedDecision, 'at' | 'appId' | 'kind' | 'admitted' | 'counted' | 'apiRequest' | 'cooldownUntil' | 'fingerprints'>;

/**
 * Moves the counting families on by one recorded decision: API requests, the cooldown, counted sends
 * and fingerprints, delivered to `target` (null when its fingerprints went nowhere: `fingerprintTarget`).
 * The live state, a rebuild and a replay's candidates all count through here.
 */
export function foldCounters(families: CounterFamilies, sender: number, r: CountedEvent, target: Target | null): void {
  families.retention.advance(r.at);
  if (r.apiRequest) families.apiWindows.record(sender, r.appId, r.at);
  if (r.cooldownUntil !== null) families.duplicateSpam.restartCooldown(sender, r.cooldownUntil);
  if (!r.admitted || r.kind === 'group_invite') return; // an invite delivers no message
  if (r.counted) families.dailyCap.record(sender, r.at);
  if (target !== null) families.duplicateSpam.recordDelivery(sender, r.fingerprints, target, r.at);
}

/** Sizes a rebuild knows before it loads, so tables are made once at their size. */
export interface WorldSizes {
  /** Pairs of accounts with a graph edge between them. */
  graphPairs: number;
  /** Ordered pairs that exchanged direct messages. */
  conversationPairs: number;
}

export class DecisionWorld implements CounterFamilies {
  readonly accounts = new AccountNumbers();
  readonly retention = new Retention();
  readonly graph: SocialGraph;
  readonly groups = new Groups();
  readonly dailyCap = new DailyCap(this.retention);
  readonly apiWindows = new ApiWindows(this.retention);
  readonly duplicateSpam = new DuplicateSpam(this.retention);
  /** Pair numbers of the pair history: (sender, recipient) and back side by side. */
  readonly conversations: PairNumbers;
  readonly pairHistory: PairHistory;
  readonly pairFacts = new PairFacts();
  readonly appGrants = new AppGrants();
  readonly exemptions = new Exemptions();
  /** The sequence number of the latest recorded event. */
  private seq = 0;

  constructor(sizes: WorldSizes = { graphPairs: 1024, conversationPairs: 1024 }) {
    this.graph = new SocialGraph(this.accounts, sizes.graphPairs);
    this.conversations = new PairNumbers(2 * sizes.conversationPairs, 1 << 26);
    this.pairHistory = new PairHistory(2 * sizes.conversationPairs);
  }

  /** The number the next recorded event takes: events are applied, and rebuilt, in this order. */
  nextSeq(): number {
    return ++this.seq;
  }

  /** The latest sequence number in use (a rebuild continues after what it read). */
  get lastSeq(): number {
    return this.seq;
  }

  restoreSeq(seq: number): void {
    if (seq > this.seq) this.seq = seq;
  }

  /** Applies what an enforced decision left behind: its counters, its conversation, its group. */
  apply(r: RecordedDecision): void {
    this.applyCounters(r);
    this.applyConversation(r);
    this.applyGroup(r);
  }

  /** The windows' part: API requests, the cooldown, counted sends and fingerprints. */
  applyCounters(r: RecordedDecision): void {
    foldCounters(this, this.accounts.of(r.senderId), r, r.fingerprintTarget === null ? null : this.duplicateTarget(r.kind, r.fingerprintTarget, true));
  }

  /**
   * A logged duplicate target (duplicateTarget: a direct message's recipient, else `conversation:<id>`)
   * as DuplicateSpam counts it; `delivered`: numbered if new, else unmetTarget for one never met. The
   * kind says which it is: an account id may itself contain a colon.
   */
  duplicateTarget(kind: RecordedDecision['kind'], target: string, delivered: boolean): Target {
    if (kind === 'direct') return delivered ? this.accounts.of(target) : this.accounts.find(target);
    return this.duplicateSpam.conversationTarget(targetConversation(target), delivered);
  }

  /** The pair history's part: a delivered direct message. */
  applyConversation(r: RecordedDecision): void {
    if (!r.admitted || r.kind !== 'direct') return;
    const sender = this.accounts.of(r.senderId);
    const recipient = this.accounts.of(r.recipientIds[0]);
    const out = this.conversations.of(sender, recipient);
    this.pairHistory.delivered(out, PairNumbers.reverse(out, sender, recipient), r.at, r.seq);
  }

  /**
   * A decision applied at a provisional sequence number was recorded at `seq` (a batch decided before
   * its transaction, server/state/live-state.ts): the pair history takes the recorded place.
   */
  reseat(r: RecordedDecision, seq: number): void {
    if (r.admitted && r.kind === 'direct') {
      const { out } = this.conversationPairs(r.senderId, r.recipientIds[0]);
      this.pairHistory.reseat(out, r.seq, seq);
    }
    r.seq = seq;
  }

  /** The groups' part: a group created, or accounts invited. */
  applyGroup(r: RecordedDecision): void {
    if (!r.admitted) return;
    if (r.kind === 'group_create') this.groups.create(r.conversationId!, r.senderId, [r.senderId, ...r.recipientIds]);
    else if (r.kind === 'group_invite') this.groups.add(r.conversationId!, r.recipientIds);
  }

  /** An operator reset the account's counters: nothing it counted so far counts, and its cooldown ends. */
  resetCounters(accountId: string): void {
    const account = this.accounts.find(accountId);
    if (account < 0) return;
    this.dailyCap.reset(account);
    this.apiWindows.reset(account);
    this.duplicateSpam.reset(account);
  }

  /** The pair-history numbers of sender → recipient and back; -1 for pairs that never exchanged a message. */
  conversationPairs(senderId: string, recipientId: string): { out: number; back: number; sender: number; recipient: number } {
    return this.conversationPairsNumbered(this.accounts.find(senderId), this.accounts.find(recipientId));
  }

  /** conversationPairs by account numbers (-1: never numbered). */
  conversationPairsNumbered(sender: number, recipient: number): { out: number; back: number; sender: number; recipient: number } {
    const out = this.conversations.find(sender, recipient);
    return { out, back: out < 0 ? -1 : PairNumbers.reverse(out, sender, recipient), sender, recipient };
  }
}
