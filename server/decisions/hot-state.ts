/**
 * The decision path's state kept in memory, for a service that is the only writer of its local
 * database file. Reading a sender's counters, a pair and duplicates from SQL costs more than the
 * rest of a decision; here they are read once and then kept current by the decisions themselves.
 *
 * What stays exact, and why:
 * - Every entry is loaded from the database inside the writer's transaction, and every decision
 *   that changes it runs in that same single writer and updates it right after writing (see
 *   `recorded`). No other code path changes what an entry holds without going through the writer,
 *   and the writer tells this cache (`invalidate`) before it runs any other job that may change
 *   such state, and when a batch rolls back. A job that names the accounts it changes (a follow, a
 *   block, an account's flags, an exemption) drops only the entries involving them — a sender's
 *   ledger, and every pair it is either end of; anything else (an import, a counter reset, a failed
 *   batch) drops everything. So no write can leave a stale entry behind, and the rest stays warm.
 * - Times are kept from `coveredFrom` on (24 h before the decision that loaded them, the longest
 *   window any limit counts over); a decision whose windows reach further back (a simulated clock
 *   going backwards) reloads the entry.
 * - A pair's reply count assumes messages arrive in time order; one that doesn't drops the entry.
 * Entries are dropped least-recently-used past a fixed number, and rebuilt on the next miss.
 */
import type { Executor } from '../../db/client.ts';
import type { CacheInvalidation } from '../../db/writer.ts';
import {
  loadAppRequestTimes, loadPairState, loadSenderLedger, type PairState, type SenderLedgerRows, type SenderState,
} from '../../db/stores/decision-state.ts';
import { dayMs } from '../limits/windows.ts';
import type { DecisionStateSource, SenderQuery } from './state-source.ts';

/** How many entries of each kind stay in memory. */
export interface HotStateCapacity {
  senders: number;
  pairs: number;
  apps: number;
}

const defaultCapacity: HotStateCapacity = { senders: 100_000, pairs: 250_000, apps: 10_000 };

/** How much is kept, and how often a decision found what it needed kept (a hit) or read it (a miss). */
export interface HotStateFigures {
  senders: number;
  pairs: number;
  apps: number;
  hits: number;
  misses: number;
}

/** What a recorded decision changed, as far as the kept state is concerned. */
export interface RecordedChange {
  senderId: string;
  appId: string | null;
  now: number;
  apiRequest: boolean;
  cooldownUntil: number | null;
  /** Set when a send was delivered: whether it counts toward the daily cap, and where it landed. */
  delivered: { counted: boolean; fingerprints: string[]; target: string; directRecipientId: string | null } | null;
}

export class HotState implements DecisionStateSource {
  private readonly senders: LruMap<SenderLedger>;
  private readonly pairs: LruMap<PairState>;
  private readonly apps: LruMap<TimeLedger>;
  /** The keys of the kept pairs each account is an end of, to drop them when the account changes. */
  private readonly pairKeysByAccount = new Map<string, Set<string>>();
  private hits = 0;
  private misses = 0;

  constructor(capacity: HotStateCapacity = defaultCapacity) {
    this.senders = new LruMap(capacity.senders);
    this.pairs = new LruMap(capacity.pairs, (key) => this.unindexPair(key));
    this.apps = new LruMap(capacity.apps);
  }

  figures(): HotStateFigures {
    return { senders: this.senders.size, pairs: this.pairs.size, apps: this.apps.size, hits: this.hits, misses: this.misses };
  }

  /** Drops what a write may have changed; the next decisions load it from the database again. */
  invalidate(what: CacheInvalidation): void {
    if (what === 'all') {
      this.senders.clear();
      this.pairs.clear();
      this.pairKeysByAccount.clear();
      this.apps.clear();
      return;
    }
    for (const id of what.accounts) {
      this.senders.delete(id);
      for (const key of [...this.pairKeysByAccount.get(id) ?? []]) this.dropPair(key);
    }
  }

  async sender(db: Executor, q: SenderQuery): Promise<SenderState> {
    const ledger = await this.senderLedger(db, q.senderId, Math.min(q.dailySince, q.since15m, q.since24h), q.now);
    let apiApp24h = 0;
    if (q.appId !== null) {
      let app = this.apps.get(q.appId);
      if (app && q.since24h >= app.coveredFrom) this.hits++;
      else {
        this.misses++;
        const coveredFrom = q.now - dayMs;
        app = { coveredFrom, times: await loadAppRequestTimes(db, q.appId, coveredFrom) };
        this.apps.set(q.appId, app);
      }
      apiApp24h = countFrom(app.times, q.since24h);
    }
    const daily = firstIndexFrom(ledger.counted, q.dailySince);
    return {
      account: ledger.account,
      cooldownUntil: ledger.cooldownUntil,
      dailyUsed: ledger.counted.length - daily,
      dailyOldestAt: daily < ledger.counted.length ? ledger.counted[daily] : null,
      apiUser15m: countFrom(ledger.api, q.since15m),
      apiUser24h: countFrom(ledger.api, q.since24h),
      apiApp24h,
      appGranted: q.appId === null ? true : ledger.grantedApps.has(q.appId),
      exemptRules: new Set(ledger.exemptions.filter((e) => e.expiresAt > q.now).map((e) => e.rule)),
    };
  }

  async pair(db: Executor, senderId: string, recipientId: string): Promise<PairState> {
    const key = pairKey(senderId, recipientId);
    let pair = this.pairs.get(key);
    if (pair) this.hits++;
    else {
      this.misses++;
      pair = await loadPairState(db, senderId, recipientId);
      this.pairs.set(key, pair);
      this.indexPair(key, senderId, recipientId);
    }
    return pair;
  }

  async fingerprintTargets(db: Executor, senderId: string, fingerprints: string[], since: number, now: number): Promise<Map<string, Set<string>>> {
    const ledger = await this.senderLedger(db, senderId, since, now);
    const targets = new Map<string, Set<string>>();
    for (const fingerprint of fingerprints) {
      const seen = new Set<string>();
      for (const sent of ledger.fingerprints.get(fingerprint) ?? []) if (sent.at >= since) seen.add(sent.target);
      targets.set(fingerprint, seen);
    }
    return targets;
  }

  /** Applies what a decision just wrote, in the same writer transaction. */
  recorded(change: RecordedChange): void {
    const ledger = this.senders.get(change.senderId);
    if (change.apiRequest && change.appId !== null) {
      const app = this.apps.get(change.appId);
      if (app) insertInOrder(app.times, change.now);
    }
    if (ledger) {
      if (change.apiRequest) insertInOrder(ledger.api, change.now);
      if (change.cooldownUntil !== null) ledger.cooldownUntil = change.cooldownUntil;
      if (change.delivered?.counted) insertInOrder(ledger.counted, change.now);
      for (const fingerprint of change.delivered?.fingerprints ?? []) {
        let sent = ledger.fingerprints.get(fingerprint);
        if (!sent) ledger.fingerprints.set(fingerprint, (sent = []));
        sent.push({ target: change.delivered!.target, at: change.now });
      }
    }
    const recipientId = change.delivered?.directRecipientId;
    if (recipientId) {
      const key = pairKey(change.senderId, recipientId);
      const pair = this.pairs.get(key);
      // A reply counts while it comes after the recipient's latest message; a message older than
      // that (a clock going backwards) can't be placed here, so the pair is read again.
      if (pair && change.now > (pair.lastReceivedAt ?? -1)) {
        pair.repliesSinceReceived++;
        pair.lastSentAt = Math.max(pair.lastSentAt ?? change.now, change.now);
      } else this.dropPair(key);
      // The other direction's view: this message is now the latest it received, and none of its
      // own messages come after it — unless one of them is later (a clock that went back), which
      // only the database can count: then it is read again.
      const reverseKey = pairKey(recipientId, change.senderId);
      const reverse = this.pairs.get(reverseKey);
      if (reverse && change.now >= (reverse.lastReceivedAt ?? -1) && change.now > (reverse.lastSentAt ?? -1)) {
        reverse.lastReceivedAt = change.now;
        reverse.repliesSinceReceived = 0;
      } else this.dropPair(reverseKey);
    }
  }

  private indexPair(key: string, senderId: string, recipientId: string): void {
    for (const id of [senderId, recipientId]) {
      let keys = this.pairKeysByAccount.get(id);
      if (!keys) this.pairKeysByAccount.set(id, (keys = new Set()));
      keys.add(key);
    }
  }

  /** Called for a pair dropped by any path: deleted, or evicted by the LRU. */
  private unindexPair(key: string): void {
    for (const id of key.split('\u0000')) {
      const keys = this.pairKeysByAccount.get(id);
      if (keys?.delete(key) && keys.size === 0) this.pairKeysByAccount.delete(id);
    }
  }

  private dropPair(key: string): void {
    if (this.pairs.delete(key)) this.unindexPair(key);
  }

  private async senderLedger(db: Executor, senderId: string, since: number, now: number): Promise<SenderLedger> {
    let ledger = this.senders.get(senderId);
    if (!ledger || since < ledger.coveredFrom) {
      this.misses++;
      const coveredFrom = Math.min(since, now - dayMs);
      ledger = toLedger(await loadSenderLedger(db, senderId, coveredFrom), coveredFrom);
      this.senders.set(senderId, ledger);
    } else {
      this.hits++;
      if (ledger.coveredFrom < now - 2 * dayMs) forgetBefore(ledger, now - dayMs);
    }
    return ledger;
  }
}

interface TimeLedger {
  /** Times before this were not loaded. */
  coveredFrom: number;
  /** In time order. */
  times: number[];
}

interface SenderLedger {
  coveredFrom: number;
  account: SenderState['account'];
  cooldownUntil: number | null;
  grantedApps: Set<string>;
  exemptions: Array<{ rule: string; expiresAt: number }>;
  counted: number[];
  api: number[];
  fingerprints: Map<string, Array<{ target: string; at: number }>>;
}

function toLedger(rows: SenderLedgerRows, coveredFrom: number): SenderLedger {
  const fingerprints = new Map<string, Array<{ target: string; at: number }>>();
  for (const f of rows.fingerprints) {
    let sent = fingerprints.get(f.fingerprint);
    if (!sent) fingerprints.set(f.fingerprint, (sent = []));
    sent.push({ target: f.target, at: f.at });
  }
  return {
    coveredFrom, account: rows.account, cooldownUntil: rows.cooldownUntil, grantedApps: new Set(rows.grantedApps),
    exemptions: rows.exemptions, counted: rows.countedSendTimes, api: rows.apiRequestTimes, fingerprints,
  };
}

/** Drops what no window needs any more from a long-lived entry. */
function forgetBefore(ledger: SenderLedger, from: number): void {
  ledger.counted = ledger.counted.slice(firstIndexFrom(ledger.counted, from));
  ledger.api = ledger.api.slice(firstIndexFrom(ledger.api, from));
  for (const [fingerprint, sent] of ledger.fingerprints) {
    const kept = sent.filter((s) => s.at >= from);
    if (kept.length) ledger.fingerprints.set(fingerprint, kept);
    else ledger.fingerprints.delete(fingerprint);
  }
  ledger.coveredFrom = from;
}

const pairKey = (senderId: string, recipientId: string) => `${senderId}\u0000${recipientId}`;

/** The index of the first time at or after `since` (times in order). */
function firstIndexFrom(times: number[], since: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (times[mid] < since) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const countFrom = (times: number[], since: number) => times.length - firstIndexFrom(times, since);

function insertInOrder(times: number[], at: number): void {
  if (!times.length || times[times.length - 1] <= at) times.push(at);
  else times.splice(firstIndexFrom(times, at + 1), 0, at);
}

/** A Map that drops its least recently used entry past `capacity` (telling `onEvict`). */
class LruMap<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly capacity: number, private readonly onEvict: (key: string) => void = () => {}) {}

  get size(): number {
    return this.map.size;
  }

  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value!;
      this.map.delete(oldest);
      this.onEvict(oldest);
    }
  }

  delete(key: string): boolean {
    return this.map.delete(key);
  }

  clear(): void {
    this.map.clear();
  }
}
